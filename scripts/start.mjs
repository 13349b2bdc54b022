#!/usr/bin/env node
// `npm start`: install what is missing, build, then run the relay serving the web app.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pnpm, root } from './pnpm.mjs';
import { quickStartAuth } from './quick-start-auth.mjs';

function step(name, args) {
  const code = pnpm(args);
  if (code !== 0) {
    console.error(`[meshpad] ${name} failed (exit ${code}); see the output above.`);
    process.exit(code);
  }
}

step('install', ['install', '--prefer-offline', '--reporter=append-only']);
step('build', [
  'exec',
  'turbo',
  'run',
  'build',
  '--filter=@meshpad/relay...',
  '--filter=@meshpad/web...',
  '--output-logs=errors-only',
]);

// The Node flags and environment the relay ships with: see "Memory" in README.md.
const launch = JSON.parse(readFileSync(join(root, 'apps/relay/launch.json'), 'utf8'));
const args = process.argv.slice(2);

const relay = spawn(process.execPath, [...launch.nodeFlags, join(root, 'apps/relay/dist/main.js'), ...args], {
  stdio: 'inherit',
  cwd: root,
  env: { ...launch.env, MESHPAD_AUTH: quickStartAuth(args, process.env), ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => relay.kill(signal));
}
relay.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
