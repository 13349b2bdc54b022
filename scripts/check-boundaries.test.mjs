// Run with `node --test scripts/check-boundaries.test.mjs`. Each case builds a small workspace in a temporary folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkBoundaries, importsOf } from './check-boundaries.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), 'check-boundaries.mjs');
const roots = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const peers = { peerDependencies: { yjs: 'catalog:' }, devDependencies: { yjs: 'catalog:' } };
const exportsMap = { exports: { '.': './dist/index.js', './package.json': './package.json' } };

/** A workspace shaped like Meshpad's, valid as given; `change` edits manifests and adds files. */
function workspace(change = {}) {
  const manifests = {
    'packages/protocol': { ...peers, ...exportsMap },
    'packages/crdt': { ...peers, ...exportsMap },
    'packages/storage': {
      ...peers,
      exports: { '.': './dist/index.js', './conformance': './dist/conformance.js' },
    },
    'packages/storage-sqlite': { ...peers, ...exportsMap, dependencies: { '@meshpad/storage': 'workspace:*' } },
    'packages/client': {
      ...peers,
      ...exportsMap,
      dependencies: { '@meshpad/protocol': 'workspace:*', '@meshpad/crdt': 'workspace:*' },
    },
    'apps/relay': {
      ...exportsMap,
      dependencies: {
        yjs: 'catalog:',
        '@meshpad/protocol': 'workspace:*',
        '@meshpad/storage': 'workspace:*',
        '@meshpad/storage-sqlite': 'workspace:*',
      },
    },
    'apps/web': {
      dependencies: { yjs: 'catalog:', '@meshpad/client': 'workspace:*', '@meshpad/protocol': 'workspace:*' },
    },
    e2e: {
      devDependencies: {
        '@meshpad/protocol': 'workspace:*',
        '@meshpad/relay': 'workspace:*',
        '@meshpad/web': 'workspace:*',
      },
    },
    ...change.manifests,
  };
  const root = mkdtempSync(join(tmpdir(), 'meshpad-boundaries-'));
  roots.push(root);
  writeFileSync(
    join(root, 'pnpm-workspace.yaml'),
    "packages:\n  - apps/*\n  - 'packages/*'\n  - e2e\n\ncatalog:\n  yjs: 1\n",
  );
  for (const [dir, manifest] of Object.entries(manifests)) {
    mkdirSync(join(root, dir, 'src'), { recursive: true });
    const name = dir === 'e2e' ? '@meshpad/e2e' : `@meshpad/${dir.split('/')[1]}`;
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify({ name, ...manifest }));
  }
  const files = {
    'apps/relay/src/server.ts':
      "import { store } from '@meshpad/storage';\nimport type { Codes } from '@meshpad/protocol';\n",
    'packages/storage-sqlite/src/store.test.ts': "import { runConformance } from '@meshpad/storage/conformance';\n",
    'packages/client/src/session.ts': "import * as Y from 'yjs';\nimport { a } from './local.js';\n",
    ...change.files,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

const rulesOf = (violations) => violations.map((v) => v.rule).sort();

test('a workspace that follows the table has no violations', () => {
  assert.deepEqual(checkBoundaries(workspace()), []);
});

test('an edge missing from the table is rejected, naming the file and what is allowed', () => {
  const root = workspace({
    manifests: { 'packages/protocol': { ...peers, dependencies: { '@meshpad/storage': 'workspace:*' } } },
  });
  assert.deepEqual(checkBoundaries(root), [
    {
      file: 'packages/protocol/package.json',
      rule: 'allowed-edges',
      message:
        '@meshpad/protocol must not depend on @meshpad/storage (dependencies); it may depend on: no @meshpad/* package',
    },
  ]);
});

test('e2e may list relay and web for build ordering, only as devDependencies and never imported', () => {
  const root = workspace({
    manifests: {
      e2e: { dependencies: { '@meshpad/relay': 'workspace:*' }, devDependencies: { '@meshpad/web': 'workspace:*' } },
    },
    files: { 'e2e/tests/edit.spec.ts': "import { start } from '@meshpad/relay';\n" },
  });
  const violations = checkBoundaries(root);
  assert.deepEqual(rulesOf(violations), ['allowed-edges', 'allowed-edges']);
  assert.match(violations[0].message, /only in devDependencies/);
  assert.equal(violations[1].file, 'e2e/tests/edit.spec.ts:1');
});

test('the relay may use crdt in its tests only: as a devDependency, imported by test files', () => {
  const dependencies = { yjs: 'catalog:', '@meshpad/storage': 'workspace:*', '@meshpad/protocol': 'workspace:*' };
  const relay = (field) => {
    const manifest = { ...exportsMap, dependencies: { ...dependencies } };
    manifest[field] = { ...manifest[field], '@meshpad/crdt': 'workspace:*' };
    return manifest;
  };
  const files = {
    'apps/relay/src/convergence.test.ts': "import { YOrSet } from '@meshpad/crdt';\n",
    'apps/relay/test/replicas.ts': "import { YOrSet } from '@meshpad/crdt';\n",
  };
  assert.deepEqual(checkBoundaries(workspace({ manifests: { 'apps/relay': relay('devDependencies') }, files })), []);

  const root = workspace({
    manifests: { 'apps/relay': relay('dependencies') },
    files: { ...files, 'apps/relay/src/room.ts': "import { YOrSet } from '@meshpad/crdt';\n" },
  });
  const violations = checkBoundaries(root);
  assert.deepEqual(rulesOf(violations), ['allowed-edges', 'allowed-edges']);
  assert.match(violations[0].message, /only in devDependencies \(for tests\)/);
  assert.equal(violations[1].file, 'apps/relay/src/room.ts:1');
  assert.match(violations[1].message, /only in tests/);
});

test('imports into another package by relative path or into src/ or dist/ are rejected', () => {
  const root = workspace({
    files: {
      'apps/relay/src/bad.ts': [
        "import { x } from '../../../packages/storage/src/index.js';",
        "export { y } from '@meshpad/storage/dist/index.js';",
        "const z = await import('@meshpad/protocol/src/codes.js');",
        "import '../../web/dist/index.html';",
      ].join('\n'),
    },
  });
  const violations = checkBoundaries(root);
  assert.deepEqual(rulesOf(violations), ['no-deep-import', 'no-deep-import', 'no-deep-import', 'no-deep-import']);
  assert.deepEqual(
    violations.map((v) => v.file).sort(),
    [1, 2, 3, 4].map((line) => `apps/relay/src/bad.ts:${line}`),
  );
});

test('importing a workspace package that package.json does not list is rejected', () => {
  const root = workspace({ files: { 'packages/client/src/bad.ts': "import { s } from '@meshpad/storage';\n" } });
  assert.deepEqual(checkBoundaries(root), [
    {
      file: 'packages/client/src/bad.ts:1',
      rule: 'declared-deps',
      message: 'imports @meshpad/storage, which packages/client/package.json does not list',
    },
  ]);
});

test('a cycle between packages is reported as a path', () => {
  const root = workspace({
    manifests: {
      'packages/crdt': { ...peers, devDependencies: { yjs: 'catalog:', '@meshpad/client': 'workspace:*' } },
    },
  });
  const cycles = checkBoundaries(root).filter((v) => v.rule === 'no-cycles');
  assert.deepEqual(
    cycles.map((v) => v.message),
    ['dependency cycle: @meshpad/client -> @meshpad/crdt -> @meshpad/client'],
  );
});

test('libraries must take yjs and y-protocols as peers; apps may depend on them', () => {
  const root = workspace({
    manifests: { 'packages/crdt': { dependencies: { yjs: 'catalog:' }, optionalDependencies: { 'y-protocols': '1' } } },
  });
  const violations = checkBoundaries(root);
  assert.deepEqual(rulesOf(violations), ['yjs-peer', 'yjs-peer']);
  assert.match(violations[0].message, /library @meshpad\/crdt lists yjs in dependencies/);
});

test('a package without a row in the table is rejected', () => {
  const root = workspace({ manifests: { 'packages/extra': {} } });
  assert.deepEqual(rulesOf(checkBoundaries(root)), ['known-package']);
});

test('importsOf finds static, re-export, side-effect, dynamic and require forms with their lines', () => {
  const source = [
    'import {',
    '  a,',
    "} from 'one';",
    "export * as b from 'two';",
    "import 'three';",
    "const c = import('four');",
    "const d = require('five');",
    "const url = 'ws://example.com/from/x';",
  ].join('\n');
  assert.deepEqual(importsOf(source), [
    { specifier: 'one', line: 3 },
    { specifier: 'two', line: 4 },
    { specifier: 'three', line: 5 },
    { specifier: 'four', line: 6 },
    { specifier: 'five', line: 7 },
  ]);
});

test('the command exits 1 and prints file and rule for a bad tree, 0 for a good one', () => {
  const good = spawnSync(process.execPath, [script, workspace()], { encoding: 'utf8' });
  assert.equal(good.status, 0, good.stderr);
  const bad = workspace({ files: { 'apps/web/src/x.ts': "import '@meshpad/client/src/session.js';\n" } });
  const result = spawnSync(process.execPath, [script, bad], { encoding: 'utf8' });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /^apps\/web\/src\/x\.ts:1: \[no-deep-import\] /m);
});
