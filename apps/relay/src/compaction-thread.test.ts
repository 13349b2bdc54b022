import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { MemoryDocStore } from '@meshpad/storage';
import { describe, expect, it } from 'vitest';
import { synced, useRelay, waitFor } from '../test/harness.js';
import { structBomb } from '../test/hostile-updates.js';

const fixture = useRelay();

/**
 * A stored document of two updates of 4,000 concurrent one-character inserts each: Yjs orders
 * concurrent inserts at one place in more than quadratic time (2 x 5,000: 4 s; 4 x 5,000: 34 s).
 */
async function heavyStore(): Promise<MemoryDocStore> {
  const store = new MemoryDocStore();
  for (let round = 0; round < 2; round++) {
    await store.append([{ docName: 'heavy', update: structBomb(4_000, 1_000_000 + round * 4_000) }]);
  }
  return store;
}

/** Loads the heavy room without joining it, so that leaving schedules its compaction. */
async function touchHeavyRoom(): Promise<void> {
  const { socket } = await fixture.raw('heavy');
  socket.close();
}

const compactionLine = () =>
  fixture.relay.logs().find((line) => /compact/.test(String(line.msg)) && line.room === 'heavy');

/** Nice values of this process's threads other than the main one (Linux). */
function threadNiceness(): number[] {
  const values: number[] = [];
  for (const task of readdirSync('/proc/self/task')) {
    if (Number(task) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      // Fields after the command name, which may hold spaces: the nice value is the 19th field of the line.
      values.push(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return values;
}

describe('compaction thread', () => {
  it.runIf(process.platform === 'linux')(
    'compacts at a lower priority than the event loop',
    async () => {
      const store = await heavyStore();
      await fixture.start({ store, env: { LOG_LEVEL: 'debug' } });
      expect(threadNiceness()).not.toContain(10);
      await touchHeavyRoom();
      await waitFor(() => threadNiceness().includes(10) || compactionLine() !== undefined, 'compaction under way');
      expect(compactionLine()).toBeUndefined();
      // The event loop keeps its priority.
      expect(getPriority()).toBe(0);
    },
    60_000,
  );

  it('compacts a costly document off the event loop: another room keeps delivering edits meanwhile', async () => {
    const store = await heavyStore();
    await fixture.start({ store, env: { LOG_LEVEL: 'debug' } });
    const [writer, reader] = [fixture.client('busy'), fixture.client('busy')];
    await Promise.all([synced(writer), synced(reader)]);

    await touchHeavyRoom();
    const delays: number[] = [];
    while (compactionLine() === undefined) {
      const sent = performance.now();
      writer.text.insert(writer.text.length, 'x');
      const expected = writer.text.length;
      await waitFor(() => reader.text.length === expected, 'edit delivered', 20_000);
      delays.push(performance.now() - sent);
    }
    const line = compactionLine()!;
    expect(line.msg, JSON.stringify(line)).toMatch(/^compacted in/);
    const compactionMs = Number(/compacted in ([\d.]+) ms/.exec(String(line.msg))![1]);
    const worst = Math.max(...delays);
    console.log(
      `compaction ${compactionMs.toFixed(0)} ms; ${delays.length} edits in another room meanwhile, worst ${worst.toFixed(0)} ms`,
    );
    // On the event loop the worst delay was the whole compaction; on the thread it stays a fraction of it.
    expect(worst).toBeLessThan(compactionMs / 2);
    expect((await store.load('heavy')).updates).toHaveLength(1);
  }, 60_000);

  it('stops a compaction past its time limit and keeps the log as it was', async () => {
    const store = await heavyStore();
    await fixture.start({ store, env: { MESHPAD_COMPACTION_TIMEOUT_MS: '100' } });
    await touchHeavyRoom();
    await waitFor(() => compactionLine() !== undefined, 'the compaction gave up', 20_000);
    expect(compactionLine()).toMatchObject({ level: 50 });
    expect(JSON.stringify(compactionLine())).toMatch(/took over 100 ms and was stopped/);
    const rows = (await store.load('heavy')).updates;
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => row.length)).toEqual([structBomb(4_000).length, structBomb(4_000).length]);
    const reader = fixture.client('other');
    await synced(reader);
  }, 60_000);
});
