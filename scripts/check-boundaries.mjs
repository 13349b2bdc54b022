#!/usr/bin/env node
// Keeps the package boundaries in ARCHITECTURE.md true: which @meshpad/* package may depend on which,
// no imports into another package's files by path, no cycles, and one copy of Yjs (peers in libraries).
// Node built-ins only, so it runs before anything is installed or built.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The only @meshpad/* edges allowed (ARCHITECTURE.md, STYLE.md section 3). `buildOrder` lists packages that
 * may appear in devDependencies only, so turbo builds them first; they must never be imported. `testOnly` lists
 * packages that may appear in devDependencies only and be imported only by tests (`*.test.*`, `test/`).
 */
export const allowedEdges = {
  '@meshpad/web': { deps: ['@meshpad/client', '@meshpad/crdt', '@meshpad/protocol'] },
  '@meshpad/client': { deps: ['@meshpad/protocol', '@meshpad/crdt'] },
  '@meshpad/relay': {
    deps: ['@meshpad/protocol', '@meshpad/storage', '@meshpad/storage-sqlite'],
    testOnly: ['@meshpad/crdt'],
  },
  '@meshpad/storage-sqlite': { deps: ['@meshpad/storage'] },
  '@meshpad/protocol': { deps: [] },
  '@meshpad/crdt': { deps: [] },
  '@meshpad/storage': { deps: [] },
  '@meshpad/e2e': { deps: ['@meshpad/protocol'], buildOrder: ['@meshpad/relay', '@meshpad/web'] },
};

/** Packages that must reach libraries as peers, so every bundle and process loads one copy. */
const singletons = ['yjs', 'y-protocols'];
const dependencyFields = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
const sourceExtensions = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/;
const skippedDirs = new Set(['node_modules', 'dist', 'coverage', 'test-results', 'playwright-report']);

/** Reads the `packages:` globs of pnpm-workspace.yaml (plain entries, `dir/*` and `!exclusions`). */
function workspaceGlobs(root) {
  const lines = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').split('\n');
  const globs = [];
  let inPackages = false;
  for (const line of lines) {
    if (/^packages:\s*$/.test(line)) inPackages = true;
    else if (/^\S/.test(line)) inPackages = false;
    else if (inPackages) {
      const item = line.match(/^\s+-\s+['"]?([^'"#]+?)['"]?\s*(#.*)?$/);
      if (item?.[1]) globs.push(item[1]);
    }
  }
  return globs;
}

function expandGlob(root, glob) {
  if (!glob.endsWith('/*')) return [glob];
  const parent = glob.slice(0, -2);
  if (!existsSync(join(root, parent))) return [];
  return readdirSync(join(root, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}`);
}

/** Every workspace package: its directory (relative to root), manifest and name. */
export function listPackages(root) {
  const globs = workspaceGlobs(root);
  const excluded = new Set(globs.filter((g) => g.startsWith('!')).flatMap((g) => expandGlob(root, g.slice(1))));
  const dirs = globs.filter((g) => !g.startsWith('!')).flatMap((g) => expandGlob(root, g));
  return dirs
    .filter((dir) => !excluded.has(dir) && existsSync(join(root, dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      return { dir, manifest, name: manifest.name };
    });
}

function meshpadDeps(manifest) {
  const edges = [];
  for (const field of dependencyFields) {
    for (const dep of Object.keys(manifest[field] ?? {})) {
      if (dep.startsWith('@meshpad/')) edges.push({ field, dep });
    }
  }
  return edges;
}

/** Why `dep` may be listed by a package with `rule` only in devDependencies, or undefined when it may be listed anywhere. */
function devOnlyReason(rule, dep) {
  if (rule.buildOrder?.includes(dep)) return 'for build ordering';
  if (rule.testOnly?.includes(dep)) return 'for tests';
  return undefined;
}

function checkManifests(packages, violations) {
  for (const pkg of packages) {
    const file = `${pkg.dir}/package.json`;
    const rule = allowedEdges[pkg.name];
    if (!rule) {
      violations.push({ file, rule: 'known-package', message: `${pkg.name} has no row in the allowed-edges table` });
      continue;
    }
    for (const { field, dep } of meshpadDeps(pkg.manifest)) {
      if (rule.deps.includes(dep)) continue;
      const devOnly = devOnlyReason(rule, dep);
      if (devOnly !== undefined) {
        if (field !== 'devDependencies') {
          violations.push({
            file,
            rule: 'allowed-edges',
            message: `${dep} is allowed only in devDependencies (${devOnly}), not in ${field}`,
          });
        }
        continue;
      }
      const allowed =
        [...rule.deps, ...(rule.buildOrder ?? []), ...(rule.testOnly ?? [])].join(', ') || 'no @meshpad/* package';
      violations.push({
        file,
        rule: 'allowed-edges',
        message: `${pkg.name} must not depend on ${dep} (${field}); it may depend on: ${allowed}`,
      });
    }
    if (pkg.dir.startsWith('packages/')) {
      for (const field of ['dependencies', 'optionalDependencies']) {
        for (const dep of singletons) {
          if (pkg.manifest[field]?.[dep] === undefined) continue;
          violations.push({
            file,
            rule: 'yjs-peer',
            message: `library ${pkg.name} lists ${dep} in ${field}; move it to peerDependencies (and devDependencies for its tests)`,
          });
        }
      }
    }
  }
}

/** Finds dependency cycles between workspace packages, counting every dependency field. */
export function findCycles(packages) {
  const names = new Set(packages.map((p) => p.name));
  const graph = new Map(
    packages.map((p) => [p.name, [...new Set(meshpadDeps(p.manifest).map((e) => e.dep))].filter((d) => names.has(d))]),
  );
  const state = new Map();
  const stack = [];
  const cycles = [];
  const visit = (name) => {
    state.set(name, 'open');
    stack.push(name);
    for (const next of graph.get(name) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...graph.keys()].sort()) if (!state.has(name)) visit(name);
  return cycles;
}

/** Source files of one package, leaving out build output, dependencies, hidden folders and bench results. */
function sourceFiles(absDir) {
  const files = [];
  for (const entry of readdirSync(absDir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const generated = entry.name === 'results' && absDir.endsWith(`${sep}bench`);
      if (!skippedDirs.has(entry.name) && !entry.name.startsWith('.') && !generated) {
        files.push(...sourceFiles(join(absDir, entry.name)));
      }
    } else if (sourceExtensions.test(entry.name)) {
      files.push(join(absDir, entry.name));
    }
  }
  return files;
}

const importPatterns = [
  /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"\n]+)['"]/g,
  /\bimport\s*['"]([^'"\n]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];

/** Every module specifier a source file imports, with its line number. */
export function importsOf(source) {
  const found = [];
  for (const pattern of importPatterns) {
    for (const match of source.matchAll(pattern)) {
      const specifier = match[1];
      const at = match.index + match[0].lastIndexOf(specifier);
      found.push({ specifier, line: source.slice(0, at).split('\n').length });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

function exportedSubpaths(manifest) {
  const exportsField = manifest.exports;
  if (typeof exportsField !== 'object' || exportsField === null) return ['.'];
  const keys = Object.keys(exportsField);
  return keys.some((key) => key.startsWith('.')) ? keys : ['.'];
}

function isExported(manifest, subpath) {
  return exportedSubpaths(manifest).some((key) => {
    if (!key.includes('*')) return key === subpath;
    const [prefix, suffix] = key.split('*');
    return subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= prefix.length + suffix.length;
  });
}

/** Whether a file (path relative to the root, `/`-separated) belongs to a package's tests. */
const isTestFile = (file) => /\.test\.[^/]+$/.test(file) || file.split('/').includes('test');

function checkImports(root, packages, violations) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  // Longest directory first, so a nested package wins over its parent.
  const byDir = [...packages].sort((a, b) => b.dir.length - a.dir.length);
  const owner = (absPath) =>
    byDir.find((p) => absPath === join(root, p.dir) || absPath.startsWith(join(root, p.dir) + sep));
  for (const pkg of packages) {
    const rule = allowedEdges[pkg.name];
    const declared = new Set(meshpadDeps(pkg.manifest).map((e) => e.dep));
    for (const absFile of sourceFiles(join(root, pkg.dir))) {
      const file = relative(root, absFile).split(sep).join('/');
      for (const { specifier, line } of importsOf(readFileSync(absFile, 'utf8'))) {
        const where = `${file}:${line}`;
        if (specifier.startsWith('.') || specifier.startsWith('/')) {
          const target = owner(resolve(dirname(absFile), specifier));
          if (target && target !== pkg) {
            violations.push({
              file: where,
              rule: 'no-deep-import',
              message: `'${specifier}' reaches into ${target.dir}/ by path; import '${target.name}' through its exports map`,
            });
          }
          continue;
        }
        const bare = specifier.match(/^(@meshpad\/[^/]+)(\/.*)?$/);
        if (!bare) continue;
        const [, name, rest] = bare;
        const target = byName.get(name);
        if (!target) {
          violations.push({
            file: where,
            rule: 'known-package',
            message: `'${specifier}': ${name} is not a workspace package`,
          });
          continue;
        }
        if (target === pkg) continue;
        const subpath = `.${rest ?? ''}`;
        if (/^\.\/(src|dist)(\/|$)/.test(subpath) || !isExported(target.manifest, subpath)) {
          violations.push({
            file: where,
            rule: 'no-deep-import',
            message: `'${specifier}' is not in ${name}'s exports map (${exportedSubpaths(target.manifest).join(', ')})`,
          });
        }
        if (rule?.buildOrder?.includes(name)) {
          violations.push({
            file: where,
            rule: 'allowed-edges',
            message: `${pkg.name} lists ${name} only for build ordering and must not import it`,
          });
        } else if (rule?.testOnly?.includes(name) && !isTestFile(file)) {
          violations.push({
            file: where,
            rule: 'allowed-edges',
            message: `${pkg.name} may import ${name} only in tests (*.test.* files and test/ folders)`,
          });
        } else if (!declared.has(name)) {
          violations.push({
            file: where,
            rule: 'declared-deps',
            message: `imports ${name}, which ${pkg.dir}/package.json does not list`,
          });
        }
      }
    }
  }
}

/** Checks the workspace at `root`; returns every violation found (empty when the tree is clean). */
export function checkBoundaries(root) {
  const packages = listPackages(root);
  const violations = [];
  checkManifests(packages, violations);
  for (const cycle of findCycles(packages)) {
    violations.push({
      file: 'package.json files',
      rule: 'no-cycles',
      message: `dependency cycle: ${cycle.join(' -> ')}`,
    });
  }
  checkImports(root, packages, violations);
  return violations;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = checkBoundaries(root);
  for (const v of violations) console.error(`${v.file}: [${v.rule}] ${v.message}`);
  if (violations.length > 0) {
    console.error(`check-boundaries: ${violations.length} violation(s); the rules are in ARCHITECTURE.md.`);
    process.exit(1);
  }
  console.log(`check-boundaries: ${listPackages(root).length} packages, dependency edges and imports OK`);
}
