import * as Y from 'yjs';
import type { DocIndex } from './doc-index.js';
import { type DeletedRange, encodeUpdateParts, type StructRun } from './update-parts.js';

/** A Yjs update decoded by `Y.decodeUpdate`. */
export interface DecodedUpdate {
  readonly structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>;
  readonly ds: { readonly clients: ReadonlyMap<number, ReadonlyArray<{ clock: number; len: number }>> };
}

/** How an update fits a document. PROTOCOL.md ("Validation") gives the algorithm. */
export type Admission =
  | { readonly kind: 'refused'; readonly reason: string }
  | {
      readonly kind: 'admitted';
      /** What integrates now and is new to the document (overlap trimmed), or undefined when nothing is. */
      readonly ready: Uint8Array | undefined;
      /** What waits for structs the document lacks, or undefined when nothing does. */
      readonly held: Uint8Array | undefined;
      /**
       * Structs in `ready`: zero for an update that only deletes. Garbage-collected ranges count too: of a
       * client the document lacks, they add bytes and delete nothing.
       */
      readonly readyStructs: number;
      /**
       * The clocks `ready` advances, as client, clock pairs one after another (one typed array, not an
       * array per client: an update of 10,000 clients is judged in another thread and sent back), and the
       * deleted ranges it adds; pass to {@link commitAdmission}.
       */
      readonly clocks: Float64Array;
      readonly deletes: readonly DeletedRange[];
    };

/**
 * One client's structs in an update, as indexes into the update's structs (not a copy of them: an
 * update may hold 10,000 runs of one struct each).
 */
interface Run {
  readonly client: number;
  /** Index of the run's first struct. */
  readonly start: number;
  /** Index one past the run's last struct. */
  end: number;
  /** Index of the first struct the document does not wholly hold yet. */
  first: number;
  /** Index of the first struct not admitted (yet). */
  next: number;
}

const refsOf = (item: Y.Item): Y.ID[] => {
  const refs: Y.ID[] = [];
  if (item.origin !== null) refs.push(item.origin);
  if (item.rightOrigin !== null) refs.push(item.rightOrigin);
  if (item.parent instanceof Y.ID) refs.push(item.parent);
  return refs;
};

function groupRuns(structs: DecodedUpdate['structs']): Run[] | string {
  const runs: Run[] = [];
  const seen = new Set<number>();
  let current: Run | undefined;
  for (let i = 0; i < structs.length; i++) {
    const client = structs[i]!.id.client;
    if (current === undefined || current.client !== client) {
      // Yjs keeps only the last run of a client that appears twice: the others would vanish.
      if (seen.has(client)) return `client ${client} appears in two runs of structs`;
      seen.add(client);
      current = { client, start: i, end: i, first: i, next: i };
      runs.push(current);
    }
    current.end = i + 1;
  }
  return runs;
}

/**
 * A struct refers to an earlier clock of its own client only: Yjs integrates a client's structs in
 * clock order and does not wait for its own later clocks, so a reference at or after the struct
 * itself throws inside every replica's transaction, forever.
 */
function checkOwnReferences(structs: DecodedUpdate['structs']): string | undefined {
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    for (const ref of refsOf(struct)) {
      if (ref.client === struct.id.client && ref.clock >= struct.id.clock) {
        return `struct ${struct.id.client}:${struct.id.clock} refers to its own client's clock ${ref.clock}, at or after itself`;
      }
    }
  }
  return undefined;
}

/** Whether new clocks of `client` are not accepted from this sender (another connection owns them). */
export type ClaimedBy = (client: number) => boolean;

const UNCLAIMED: ClaimedBy = () => false;

/**
 * Splits an update into what integrates into the document now, what must wait for structs the
 * document lacks, or refuses it when part of it can never integrate. New clocks of a client that
 * `claimed` names are treated as not received yet: held, with whatever depends on them. Pure:
 * `index` is not changed.
 */
export function admitUpdate(
  index: DocIndex,
  update: Uint8Array,
  decoded: DecodedUpdate,
  claimed: ClaimedBy = UNCLAIMED,
): Admission {
  const grouped = groupRuns(decoded.structs);
  if (typeof grouped === 'string') return { kind: 'refused', reason: grouped };
  const runs = grouped;
  const ownFault = checkOwnReferences(decoded.structs);
  if (ownFault !== undefined) return { kind: 'refused', reason: ownFault };
  return split(index, update, decoded, runs, claimed);
}

/** Whether every struct of an update is of one client, as in one local transaction. */
export function writesOneClient(decoded: DecodedUpdate): boolean {
  const { structs } = decoded;
  return structs.length > 0 && structs[0]!.id.client === structs[structs.length - 1]!.id.client;
}

/**
 * The clients whose clocks `admitUpdate` reads for this update (its structs' clients and the clients
 * they refer to, and the clients it deletes from) and those whose deleted ranges it reads.
 */
export function consultedClients(decoded: DecodedUpdate): { clients: number[]; deleteClients: number[] } {
  const clients = new Set<number>();
  for (const struct of decoded.structs) {
    clients.add(struct.id.client);
    if (struct instanceof Y.Item) for (const ref of refsOf(struct)) clients.add(ref.client);
  }
  const deleteClients = [...decoded.ds.clients.keys()];
  for (const client of deleteClients) clients.add(client);
  return { clients: [...clients], deleteClients };
}

/**
 * Why an update can never integrate into any document, or undefined: the checks of `admitUpdate` that
 * need no document, for a peer that lets Yjs keep what is merely early (pending) itself.
 */
export function neverIntegrates(decoded: DecodedUpdate): string | undefined {
  const runs = groupRuns(decoded.structs);
  return typeof runs === 'string' ? runs : checkOwnReferences(decoded.structs);
}

function split(
  index: DocIndex,
  update: Uint8Array,
  decoded: DecodedUpdate,
  runs: Run[],
  claimed: ClaimedBy,
): Admission {
  const { structs } = decoded;
  const clocks = new Map<number, number>();
  const clockOf = (client: number) => clocks.get(client) ?? index.clock(client);
  const waiting = new Map<number, Run[]>();
  const queue = [...runs];
  let changed = false;

  // Admits each run's structs in clock order while what they refer to is present; a run that waits
  // for another client's clock resumes when that client's run advances past it.
  for (let run = queue.pop(); run !== undefined; run = queue.pop()) {
    const start = clockOf(run.client);
    const isClaimed = claimed(run.client);
    let blockedOn: number | undefined;
    while (run.next < run.end) {
      const struct = structs[run.next]!;
      const end = struct.id.clock + struct.length;
      const have = clockOf(run.client);
      if (end <= have) {
        run.first = ++run.next;
        changed = true;
        continue;
      }
      if (isClaimed || struct.id.clock > have || struct instanceof Y.Skip) break;
      if (struct instanceof Y.Item) {
        const missing = refsOf(struct).find((ref) => ref.client !== run.client && ref.clock >= clockOf(ref.client));
        if (missing !== undefined) {
          blockedOn = missing.client;
          break;
        }
      }
      clocks.set(run.client, end);
      run.next++;
    }
    if (blockedOn !== undefined) {
      const list = waiting.get(blockedOn) ?? [];
      list.push(run);
      waiting.set(blockedOn, list);
    }
    if (clockOf(run.client) > start) {
      const woken = waiting.get(run.client);
      if (woken !== undefined) {
        waiting.delete(run.client);
        queue.push(...woken);
      }
    }
  }

  // Runs are copied out (`readyRuns`, `heldRuns`) only when an update has to be encoded: one that is
  // admitted whole and unchanged is kept as it came.
  const offsetOf = (run: Run) => Math.max(0, index.clock(run.client) - structs[run.first]!.id.clock);
  let readyStructs = 0;
  let anyHeldRun = false;
  for (const run of runs) {
    if (run.next > run.first) {
      readyStructs += run.next - run.first;
      if (offsetOf(run) > 0) changed = true;
    }
    if (run.next < run.end) anyHeldRun = true;
  }
  const readyRuns = (): StructRun[] =>
    runs
      .filter((run) => run.next > run.first)
      .map((run) => ({ client: run.client, structs: structs.slice(run.first, run.next), offset: offsetOf(run) }));
  const heldRuns = (): StructRun[] =>
    runs
      .filter((run) => run.next < run.end)
      .map((run) => ({ client: run.client, structs: structs.slice(run.next, run.end), offset: 0 }));

  const readyDeletes: DeletedRange[] = [];
  const heldDeletes: DeletedRange[] = [];
  for (const [client, items] of decoded.ds.clients) {
    const known = clockOf(client);
    for (const { clock, len } of items) {
      if (len <= 0) {
        changed = true;
        continue;
      }
      const parts = index.notDeleted(client, clock, clock + len);
      if (parts.length !== 1 || parts[0]![0] !== clock || parts[0]![1] !== clock + len) changed = true;
      for (const [start, end] of parts) {
        if (start < known) readyDeletes.push([client, start, Math.min(end, known)]);
        if (end > known) heldDeletes.push([client, Math.max(start, known), end]);
      }
    }
  }

  const nothingHeld = !anyHeldRun && heldDeletes.length === 0;
  const nothingReady = readyStructs === 0 && readyDeletes.length === 0;
  const advanced = new Float64Array(clocks.size * 2);
  let at = 0;
  clocks.forEach((clock, client) => {
    advanced[at++] = client;
    advanced[at++] = clock;
  });
  return {
    kind: 'admitted',
    ready: nothingReady ? undefined : !changed && nothingHeld ? update : encodeUpdateParts(readyRuns(), readyDeletes),
    // Held whole and unchanged (a delete set for clocks not here yet, say): the update itself, not a copy.
    held: nothingHeld ? undefined : nothingReady && !changed ? update : encodeUpdateParts(heldRuns(), heldDeletes),
    readyStructs,
    clocks: advanced,
    deletes: readyDeletes,
  };
}

/** Advances `index` by what an admission made ready, once it is accepted. */
export function commitAdmission(index: DocIndex, admission: Extract<Admission, { kind: 'admitted' }>): void {
  const { clocks } = admission;
  for (let i = 0; i < clocks.length; i += 2) index.advanceClock(clocks[i]!, clocks[i + 1]!);
  for (const [client, start, end] of admission.deletes) index.addDeleted(client, start, end);
}
