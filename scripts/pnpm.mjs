#!/usr/bin/env node
// Runs the repository's pinned pnpm, installing it into .tools/ first when it is missing,
// so a machine with only Node and npm needs nothing else.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const toolsDir = join(root, '.tools');
const entry = join(toolsDir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');

function installedVersion() {
  const manifest = join(toolsDir, 'node_modules', 'pnpm', 'package.json');
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
}

/** Makes sure the pinned pnpm is in .tools/ and returns the path of its entry script. */
export function ensurePnpm() {
  if (installedVersion() !== version) {
    console.log(`[meshpad] installing pnpm ${version} into .tools/ (one time)`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(
      npm,
      ['install', '--prefix', toolsDir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `pnpm@${version}`],
      { stdio: 'inherit', cwd: root },
    );
    if (result.status !== 0 || installedVersion() !== version) {
      throw new Error(
        `Could not install pnpm ${version} with npm (exit ${result.status}). Check that the npm registry is reachable.`,
      );
    }
  }
  return entry;
}

/** Runs pnpm with the given arguments in the repository root; returns its exit code. */
export function pnpm(args, options = {}) {
  const result = spawnSync(process.execPath, [ensurePnpm(), ...args], {
    stdio: 'inherit',
    cwd: root,
    ...options,
    // turbo runs package scripts through whichever pnpm is on PATH: make it this one.
    env: {
      ...process.env,
      PATH: `${join(toolsDir, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
      TURBO_TELEMETRY_DISABLED: '1',
      ...options.env,
    },
  });
  return result.status ?? 1;
}

export { root };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(pnpm(process.argv.slice(2)));
}
