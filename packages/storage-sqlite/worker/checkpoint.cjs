'use strict';
// The checkpoint thread of @meshpad/storage-sqlite (src/wal-syncer.ts). A checkpoint syncs the
// write-ahead log to disk and copies it into the database file: milliseconds of I/O that would
// otherwise stall the main thread. It runs on its own connection, beside the writer.
const { closeSync, fdatasyncSync, openSync, statSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs, fileMustExist: true });
// Both connections keep working on a database file that was deleted or replaced, and whatever they
// write is then lost at the next start: the checkpoint is where that is noticed, within a second.
const opened = statSync(workerData.path);

// Under steady writes the log is never fully copied when the writer starts its next transaction, so
// SQLite never starts it over and it grows without end. Past this many frames (pages), a RESTART
// checkpoint holds the writer back for the moment it takes to copy the last ones, and the log
// starts over.
const RESTART_AFTER_FRAMES = 4096;

function checkpoint() {
  const current = statSync(workerData.path, { throwIfNoEntry: false });
  if (current?.ino !== opened.ino || current.dev !== opened.dev) {
    throw new Error(
      `the database file was deleted or replaced while open, and what is written now is lost when process ${process.pid} stops; copy it back from /proc/${process.pid}/fd before stopping it`,
    );
  }
  let [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
  if (log > RESTART_AFTER_FRAMES) [{ log, checkpointed }] = db.pragma('wal_checkpoint(RESTART)');
  // A reader can keep frames from being copied, and SQLite syncs only what it copies: sync the rest.
  if (checkpointed < log) {
    const fd = openSync(`${workerData.path}-wal`, 'r');
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    checkpoint();
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error?.message ?? error), code: error?.code });
  }
});
