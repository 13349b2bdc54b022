/**
 * Every process the benchmark starts, so that all of them are stopped when it ends, also when it
 * fails or is interrupted.
 */
const children = new Set();

export function track(child) {
  children.add(child);
}

export function untrack(child) {
  children.delete(child);
}

export function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}
process.on('exit', killAll);
