import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DocStore, MemoryDocStore } from '@meshpad/storage';
import { SqliteDocStore } from '@meshpad/storage-sqlite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { storedProblems } from '../test/checked-store.js';
import { runSchedule, type Schedule, scheduleArbitrary } from '../test/convergence-schedule.js';
import { CompactionThread } from './compaction-thread.js';

// Random schedules of edits (the `content` text and every @meshpad/crdt type), dropped, duplicated and
// reordered frames, partitions of a peer mesh, reconnections, compactions and relay restarts, run
// through the relay's own registry, room, admission, held updates, flusher, compactor and store.
// MESHPAD_CONVERGENCE_RUNS=100000 runs a longer search, MESHPAD_CONVERGENCE_STEPS=60 longer schedules,
// MESHPAD_CONVERGENCE_SEED another seed.
const RUNS = Number(process.env.MESHPAD_CONVERGENCE_RUNS ?? 10_000);
const SEED = Number(process.env.MESHPAD_CONVERGENCE_SEED ?? 20_240_612);
/** Schedules run against SQLite as well, on one database file (a document each). */
const SQLITE_RUNS = Math.max(1, Math.round(RUNS / 50));
const MAX_STEPS = Number(process.env.MESHPAD_CONVERGENCE_STEPS ?? 24);

let docs = 0;
// One compaction thread for all schedules, as one relay has; it starts on the first compaction.
const compactionThread = new CompactionThread({ timeoutMs: 30_000, maxHeapMb: 256, idleMs: 1_000 });
afterAll(() => compactionThread.stop());
const memory = () => ({ store: new MemoryDocStore(), docName: 'doc', compactionThread });

describe('convergence through the relay', () => {
  it(`${RUNS} seeded schedules on the in-memory store: honest replicas are never refused and always converge`, async () => {
    await fc.assert(
      fc.asyncProperty(scheduleArbitrary(MAX_STEPS, 'max'), (schedule) => runSchedule(schedule, memory())),
      { numRuns: RUNS, seed: SEED },
    );
  }, 600_000);

  describe('on SQLite', () => {
    let dir: string;
    let store: DocStore;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'meshpad-convergence-'));
      store = await SqliteDocStore.open({ path: join(dir, 'meshpad.sqlite'), synchronous: 'NORMAL' });
    });
    afterAll(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`${SQLITE_RUNS} seeded schedules, the relay reopening the database when it restarts`, async () => {
      const reopen = async (old: DocStore) => {
        await old.close();
        store = await SqliteDocStore.open({ path: join(dir, 'meshpad.sqlite'), synchronous: 'NORMAL' });
        return store;
      };
      await fc.assert(
        fc.asyncProperty(scheduleArbitrary(MAX_STEPS, 'max'), (schedule) =>
          runSchedule(schedule, { store, docName: `doc-${++docs}`, reopen, compactionThread }),
        ),
        { numRuns: SQLITE_RUNS, seed: SEED + 1 },
      );
    }, 600_000);
  });
});

describe('the store checks of the convergence schedules', () => {
  it('finds a struct stored twice and a deletion stored twice', () => {
    const doc = new Y.Doc();
    doc.clientID = 5;
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    doc.getText('content').insert(0, 'ab');
    doc.getText('content').delete(0, 1);
    expect(storedProblems(updates)).toEqual([]);
    // The whole state again: the item, split in two by the deletion, and the deletion.
    expect(storedProblems([...updates, Y.encodeStateAsUpdate(doc)])).toEqual([
      'row 2 stores 5:0+1 again (stored: 0,2)',
      'row 2 stores 5:1+1 again (stored: 0,2)',
      'row 2 stores the deletion 5:0+1 again (stored: 0,1)',
    ]);
  });
});

const schedule = (replicas: number, steps: Schedule['steps'], meshAtStart = false): Schedule => ({
  replicas,
  forwardMesh: false,
  meshAtStart,
  heldPerConnection: null,
  checkpointBytes: 0,
  steps,
});

/**
 * Schedules the property found, shrunk, against a relay with one of its checks taken out by hand: each
 * fails without that check, whatever the random search draws.
 */
const named: Record<string, Schedule> = {
  // Without the check that an item's origins and parent are present.
  "an edit that builds on a peer's edit the relay lacks is held, not stored, until that edit arrives": schedule(
    5,
    [
      ['edit', 2, 0, 0, 0],
      ['net', 0, 0, 0],
      ['net', 13, 1, 0],
      ['edit', 0, 0, 0, 0],
    ],
    true,
  ),
  // Without releasing held updates when what they wait for is admitted.
  'an update that overtakes the one before it is held, and released when that one arrives': schedule(6, [
    ['edit', 0, 0, 0, 0],
    ['edit', 0, 0, 0, 0],
    ['net', 0, 2, 0],
  ]),
  // Without trimming the part of a struct the room already has.
  'a merged struct that overlaps what the relay already has in part is trimmed, not stored twice': schedule(2, [
    ['net', 35, 0, 0],
    ['edit', 1, 0, 0, 0],
    ['net', 44, 5, 0],
    ['net', 29, 0, 1],
    ['edit', 7, 0, 0, 0],
  ]),
  // Without trimming known deletions (every resync sends a client's whole delete set again); and
  // without the index built when a room is loaded from the store (every resync is then held).
  'deletions that every resync sends again are stored once, also after the room is loaded again': schedule(6, [
    ['edit', 7, 0, 0, 0],
    ['edit', 7, 3, 0, 0],
  ]),
};

describe('named schedules', () => {
  for (const [name, steps] of Object.entries(named)) {
    it(name, () => runSchedule(steps, memory()));
  }
});
