#!/usr/bin/env node
// Runs a command (a Playwright run) in a private network namespace with no way out of this machine, so that WebRTC
// between the browsers and Node peers of the tests stays on it (shared/guide/TOOLING.md, "WebRTC on loopback only").
// That needs root, as CI has. Without it, or with MESHPAD_E2E_NETNS=0, the command runs as it is and WebRTC uses
// whatever interfaces the machine has.
//
// Besides loopback, the namespace has a veth pair whose ends both stay inside it, holding LOCAL_ADDRESS: with only
// loopback, Chromium reports navigator.onLine false, and pages (and the offline tests' helpers) then act offline.
//
//   node support/loopback-only.mjs playwright test
import { spawnSync } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('usage: loopback-only.mjs <command> [args…]');
  process.exit(2);
}

/** The address of the namespace's veth end; WebRTC may pair on it as well as on 127.0.0.1. */
const LOCAL_ADDRESS = '10.77.0.1';
const SETUP = [
  'ip link set lo up',
  'ip link add mp-veth0 type veth peer name mp-veth1',
  `ip addr add ${LOCAL_ADDRESS}/32 dev mp-veth0`,
  'ip link set mp-veth0 up',
  'ip link set mp-veth1 up',
].join(' && ');

const canUnshare = () =>
  process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'sh', '-c', SETUP], { stdio: 'ignore' }).status === 0;

const alreadyInside = process.env.MESHPAD_LOOPBACK_ONLY === '1';
const useNamespace = !alreadyInside && process.env.MESHPAD_E2E_NETNS !== '0' && canUnshare();
if (!useNamespace && !alreadyInside) {
  console.warn('[e2e] not root or no unshare: running without a loopback-only network namespace');
}
const result = useNamespace
  ? spawnSync('unshare', ['-n', 'sh', '-c', `${SETUP} && exec "$@"`, 'sh', command, ...args], {
      stdio: 'inherit',
      env: { ...process.env, MESHPAD_LOOPBACK_ONLY: '1', MESHPAD_LOCAL_ADDRESSES: `127.0.0.1,${LOCAL_ADDRESS}` },
    })
  : spawnSync(command, args, { stdio: 'inherit' });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
