#!/usr/bin/env node
// Browser tests drive Debian's Chromium; install it through apt-get when it is absent.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function aptGet(args) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const [command, ...rest] = isRoot ? ['apt-get', ...args] : ['sudo', '-n', 'apt-get', ...args];
  return spawnSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
    .status;
}

export function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  console.log(`[meshpad] ${chromiumPath} not found: installing Debian's chromium with apt-get`);
  if (aptGet(['update']) !== 0 || aptGet(['install', '-y', 'chromium']) !== 0 || !existsSync(chromiumPath)) {
    throw new Error(
      'Chromium is required for the browser tests and could not be installed. Run "apt-get install chromium" as root, or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  ensureChromium();
}
