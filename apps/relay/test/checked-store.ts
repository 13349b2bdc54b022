import { screenUpdates } from '@meshpad/protocol';
import type { AppendEntry, DocStore, LogStats, StoredDoc } from '@meshpad/storage';
import * as Y from 'yjs';

/**
 * A store that checks the relay's promise as it is kept: every update appended integrates at once into
 * what the document held before it (nothing the relay stores waits for structs it lacks). Each
 * document is replayed into a Y.Doc beside the store; everything else passes through to `inner`.
 */
export class CheckedStore implements DocStore {
  readonly problems: string[] = [];
  readonly #replayed = new Map<string, Y.Doc>();

  constructor(public inner: DocStore) {}

  load(docName: string): Promise<StoredDoc> {
    return this.inner.load(docName);
  }

  async append(entries: readonly AppendEntry[]): Promise<void> {
    await this.inner.append(entries);
    // One entry at a time: the relay admits each part against everything admitted before it.
    entries.forEach(({ docName, update }, position) => {
      let doc = this.#replayed.get(docName);
      if (doc === undefined) {
        doc = new Y.Doc({ guid: docName });
        this.#replayed.set(docName, doc);
      }
      Y.applyUpdate(doc, update);
      const { pendingStructs, pendingDs } = doc.store;
      if (pendingStructs !== null || pendingDs !== null) {
        this.problems.push(
          `${docName}: entry ${position} of an append does not integrate into what was stored before it (missing ${JSON.stringify([...(pendingStructs?.missing ?? [])])}, deletions pending: ${pendingDs !== null})`,
        );
      }
    });
  }

  compact(docName: string, snapshot: Uint8Array, clock: number): Promise<void> {
    return this.inner.compact(docName, snapshot, clock);
  }

  logStats(docName: string): Promise<LogStats> {
    return this.inner.logStats(docName);
  }

  list(): Promise<string[]> {
    return this.inner.list();
  }

  delete(docName: string): Promise<void> {
    this.forget(docName);
    return this.inner.delete(docName);
  }

  sync(): Promise<void> {
    return this.inner.sync();
  }

  check(): Promise<void> {
    return this.inner.check();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Stops replaying `docName` (its schedule is over). */
  forget(docName: string): void {
    this.#replayed.get(docName)?.destroy();
    this.#replayed.delete(docName);
  }
}

/** Half-open clock ranges `[start, end)` of each client, to find one stored twice. */
class ClockRanges {
  readonly #byClient = new Map<number, Array<[number, number]>>();

  /** Adds a range; returns the range it overlaps, if any. */
  add(client: number, start: number, end: number): [number, number] | undefined {
    const ranges = this.#byClient.get(client) ?? [];
    const overlap = ranges.find(([s, e]) => start < e && s < end);
    ranges.push([start, end]);
    this.#byClient.set(client, ranges);
    return overlap;
  }
}

/** Problems with what the store holds: structs or deletions stored twice, rows the relay would quarantine. */
export function storedProblems(updates: readonly Uint8Array[]): string[] {
  const problems: string[] = [];
  const structs = new ClockRanges();
  const deleted = new ClockRanges();
  updates.forEach((update, row) => {
    const decoded = Y.decodeUpdate(update);
    for (const struct of decoded.structs) {
      if (struct instanceof Y.Skip) continue;
      const { client, clock } = struct.id;
      const twice = structs.add(client, clock, clock + struct.length);
      if (twice) problems.push(`row ${row} stores ${client}:${clock}+${struct.length} again (stored: ${twice})`);
    }
    for (const [client, items] of decoded.ds.clients) {
      for (const { clock, len } of items) {
        const twice = deleted.add(client, clock, clock + len);
        if (twice) problems.push(`row ${row} stores the deletion ${client}:${clock}+${len} again (stored: ${twice})`);
      }
    }
  });
  for (const q of screenUpdates(updates).quarantined) {
    problems.push(`row ${q.position} would be quarantined: ${q.reason}`);
  }
  return problems;
}
