import { type AccessStore, assertCapabilityScope, type CapabilityScope, type Generations } from './access-store.js';
import type { AppendEntry, DocStore, LogStats, StoredDoc } from './doc-store.js';
import { clockAheadError, StoreClosedError, type StoreOperation } from './errors.js';
import { assertAppendEntries, assertCompactArguments, assertDocName } from './store-arguments.js';

interface LogEntry {
  readonly clock: number;
  readonly update: Uint8Array;
}

interface MemoryDoc {
  snapshot: Uint8Array | undefined;
  /** Entries with a clock up to `base` are folded into `snapshot`. */
  base: number;
  clock: number;
  log: LogEntry[];
  logBytes: number;
}

const NO_ROTATIONS: Generations = Object.freeze({ view: 0, edit: 0, owner: 0 });

/**
 * A `DocStore` and `AccessStore` that keeps everything in memory: for tests, and for a relay that
 * must not keep documents. Bytes are copied on the way in and out, as a real backend would.
 */
export class MemoryDocStore implements DocStore, AccessStore {
  readonly #docs = new Map<string, MemoryDoc>();
  /** Records are frozen and replaced on rotation, so handing them out shares nothing a caller can change. */
  readonly #access = new Map<string, Generations>();
  readonly #parents = new Map<string, string>();
  #clock = 0;
  #closed = false;

  async load(docName: string): Promise<StoredDoc> {
    this.#assertOpen('load');
    assertDocName(docName);
    const doc = this.#docs.get(docName);
    if (doc === undefined) return { updates: [], clock: 0, bytes: 0 };
    const stored = doc.log.map((entry) => entry.update.slice());
    if (doc.snapshot !== undefined) stored.unshift(doc.snapshot.slice());
    const bytes = stored.reduce((total, update) => total + update.byteLength, 0);
    return { updates: stored, clock: doc.clock, bytes };
  }

  async append(entries: readonly AppendEntry[]): Promise<void> {
    this.#assertOpen('append');
    assertAppendEntries(entries);
    for (const { docName, update } of entries) {
      let doc = this.#docs.get(docName);
      if (doc === undefined) {
        doc = { snapshot: undefined, base: this.#clock, clock: this.#clock, log: [], logBytes: 0 };
        this.#docs.set(docName, doc);
      }
      this.#clock += 1;
      doc.clock = this.#clock;
      doc.log.push({ clock: this.#clock, update: update.slice() });
      doc.logBytes += update.byteLength;
    }
  }

  async compact(docName: string, snapshot: Uint8Array, clock: number): Promise<void> {
    this.#assertOpen('compact');
    assertCompactArguments(docName, snapshot, clock);
    const doc = this.#docs.get(docName);
    if (doc === undefined || clock <= doc.base) return;
    if (clock > doc.clock) throw clockAheadError(docName, clock, doc.clock);
    doc.snapshot = snapshot.slice();
    doc.base = clock;
    doc.log = doc.log.filter((entry) => entry.clock > clock);
    doc.logBytes = doc.log.reduce((total, entry) => total + entry.update.byteLength, 0);
  }

  async logStats(docName: string): Promise<LogStats> {
    this.#assertOpen('logStats');
    assertDocName(docName);
    const doc = this.#docs.get(docName);
    return { entries: doc?.log.length ?? 0, bytes: doc?.logBytes ?? 0 };
  }

  async list(): Promise<string[]> {
    this.#assertOpen('list');
    return [...this.#docs.keys()].sort();
  }

  async delete(docName: string): Promise<void> {
    this.#assertOpen('delete');
    assertDocName(docName);
    this.#docs.delete(docName);
  }

  /** Nothing in memory survives a crash; there is nothing to wait for. */
  async sync(): Promise<void> {
    this.#assertOpen('sync');
  }

  async check(): Promise<void> {
    this.#assertOpen('check');
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#docs.clear();
    this.#access.clear();
    this.#parents.clear();
  }

  async generations(docName: string): Promise<Generations | undefined> {
    this.#assertOpen('generations');
    assertDocName(docName);
    return this.#access.get(docName);
  }

  async register(docName: string, parent?: string): Promise<Generations | undefined> {
    this.#assertOpen('register');
    assertDocName(docName);
    if (parent !== undefined) assertDocName(parent);
    if (this.#access.has(docName) || this.#docs.has(docName)) return undefined;
    this.#access.set(docName, NO_ROTATIONS);
    if (parent !== undefined) this.#parents.set(docName, parent);
    return NO_ROTATIONS;
  }

  async parent(docName: string): Promise<string | undefined> {
    this.#assertOpen('parent');
    assertDocName(docName);
    return this.#parents.get(docName);
  }

  async rotate(docName: string, scope: CapabilityScope): Promise<Generations> {
    this.#assertOpen('rotate');
    assertDocName(docName);
    assertCapabilityScope(scope);
    const current = this.#access.get(docName) ?? NO_ROTATIONS;
    const rotated = Object.freeze({ ...current, [scope]: current[scope] + 1 });
    this.#access.set(docName, rotated);
    return rotated;
  }

  #assertOpen(operation: StoreOperation): void {
    if (this.#closed) throw new StoreClosedError(operation);
  }
}
