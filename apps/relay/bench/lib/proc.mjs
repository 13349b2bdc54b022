import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { now, sleep } from './clock.mjs';

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds a process has used so far (from /proc/<pid>/stat, 10 ms resolution). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks();
}

/** Resident set size in KiB (VmRSS of /proc/<pid>/status). */
export function rssKiB(pid) {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

/** The 1-minute load average, to print next to results taken on a busy machine. */
export function loadAverage() {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/**
 * Waits until `pid` has used less than `busyShare` of a core over a whole `windowMs`, or `maxMs`
 * passed. Returns whether it went quiet.
 */
export async function waitQuiet(pid, { windowMs = 1000, busyShare = 0.03, maxMs = 20_000 } = {}) {
  const deadline = now() + maxMs;
  while (now() < deadline) {
    const before = cpuSeconds(pid);
    await sleep(windowMs);
    if ((cpuSeconds(pid) - before) / (windowMs / 1000) < busyShare) return true;
  }
  return false;
}

/**
 * CPU seconds the whole machine spent busy (all cores: user, nice, system, irq, softirq, steal), from
 * /proc/stat; compared with our own processes it shows how much other work ran meanwhile.
 */
export function machineBusySeconds() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / clockTicks();
}

/** Samples CPU seconds of several processes at once. */
export function cpuSnapshot(pids) {
  return pids.map((pid) => cpuSeconds(pid));
}

/** CPU seconds used between two snapshots, summed. */
export function cpuSpent(before, after) {
  return after.reduce((total, value, i) => total + value - before[i], 0);
}
