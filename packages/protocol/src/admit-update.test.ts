import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { concurrentHistory, seeded, textOf } from '../test/histories.js';
import { type Admission, admitUpdate, commitAdmission, consultedClients, neverIntegrates } from './admit-update.js';
import { DocIndex } from './doc-index.js';
import { mergeUpdates } from './merge-updates.js';

type Admitted = Extract<Admission, { kind: 'admitted' }>;

/** A relay's view of one document: the index, what it stored, and what waits. */
class Room {
  readonly index = new DocIndex();
  readonly stored: Uint8Array[] = [];
  private readonly replica = new Y.Doc();
  held: Uint8Array[] = [];

  receive(update: Uint8Array): Admission {
    const decoded = Y.decodeUpdate(update);
    const admission = admitUpdate(this.index, update, decoded);
    // What a relay's validation thread decides from the part of the index it was sent is the same.
    const { clients, deleteClients } = consultedClients(decoded);
    const partial = DocIndex.fromSnapshot(this.index.snapshot(clients, deleteClients));
    expect(admitUpdate(partial, update, decoded)).toEqual(admission);
    if (admission.kind === 'refused') return admission;
    this.accept(admission);
    if (admission.held) this.held.push(admission.held);
    if (admission.ready) this.retryHeld();
    return admission;
  }

  private accept(admission: Admitted): void {
    if (admission.ready === undefined) return;
    // Every stored part integrates completely into what was stored before it.
    Y.applyUpdate(this.replica, admission.ready);
    expect(this.replica.store.pendingStructs).toBeNull();
    expect(this.replica.store.pendingDs).toBeNull();
    this.stored.push(admission.ready);
    commitAdmission(this.index, admission);
  }

  private retryHeld(): void {
    let progress = true;
    while (progress) {
      progress = false;
      const waiting = this.held;
      this.held = [];
      for (const update of waiting) {
        const admission = admitUpdate(this.index, update, Y.decodeUpdate(update));
        expect(admission.kind).toBe('admitted');
        this.accept(admission as Admitted);
        if ((admission as Admitted).ready) progress = true;
        if ((admission as Admitted).held) this.held.push((admission as Admitted).held!);
      }
    }
  }
}

/** One update with a single one-character item, built by hand so that its references can be anything. */
function handMade(item: { client: number; clock: number; origin?: Y.ID; right?: Y.ID; parent?: Y.ID | string }) {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoder.writeClient(item.client);
  encoding.writeVarUint(encoder.restEncoder, item.clock);
  const parent = item.origin || item.right ? null : (item.parent ?? 'content');
  const struct = new Y.Item(
    Y.createID(item.client, item.clock),
    null,
    item.origin ?? null,
    null,
    item.right ?? null,
    parent as never,
    null,
    new Y.ContentString('x'),
  );
  struct.write(encoder, 0);
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

function hello(): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc();
  doc.clientID = 1;
  doc.getText('content').insert(0, 'hello');
  return { doc, update: Y.encodeStateAsUpdate(doc) };
}

describe('admitUpdate', () => {
  it('stores every honest update exactly once, in any order, with duplicates, and ends where the replicas did', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 120 }),
        (seed, replicas, steps) => {
          const { updates, text } = concurrentHistory(seed, replicas, steps);
          const pick = seeded(seed + 1);
          const deliveries = [...updates, ...updates.filter(() => pick(4) === 0)];
          for (let i = deliveries.length - 1; i > 0; i--) {
            const j = pick(i + 1);
            [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
          }
          const room = new Room();
          for (const update of deliveries) expect(room.receive(update).kind).toBe('admitted');
          expect(room.held).toEqual([]);
          expect(textOf(...room.stored)).toBe(text);
          // Nothing stored twice: the stored parts hold no struct clock twice.
          const seen = new Set<string>();
          for (const part of room.stored) {
            for (const struct of Y.decodeUpdate(part).structs) {
              for (let c = 0; c < struct.length; c++) {
                const key = `${struct.id.client}:${struct.id.clock + c}`;
                expect(seen.has(key), key).toBe(false);
                seen.add(key);
              }
            }
          }
        },
      ),
      { seed: 12, numRuns: 200 },
    );
  }, 60_000);

  it('passes an update that is new and ready through unchanged', () => {
    const { update } = hello();
    const admission = admitUpdate(new DocIndex(), update, Y.decodeUpdate(update));
    expect(admission).toMatchObject({ kind: 'admitted', held: undefined, readyStructs: 1 });
    expect((admission as Admitted).ready).toBe(update);
  });

  it('trims what the document already has, including deletions', () => {
    const { doc, update } = hello();
    const room = new Room();
    room.receive(update);
    doc.getText('content').delete(0, 2);
    const again = room.receive(Y.encodeStateAsUpdate(doc)) as Admitted;
    expect(again.ready && Y.decodeUpdate(again.ready).structs).toEqual([]);
    room.receive(Y.encodeStateAsUpdate(doc));
    const third = room.receive(Y.encodeStateAsUpdate(doc)) as Admitted;
    expect(third.ready).toBeUndefined();
    expect(textOf(...room.stored)).toBe('llo');
  });

  it.each([
    ['an origin at a later clock of its own client', { client: 2, clock: 0, origin: Y.createID(2, 5) }],
    ['an origin at its own clock', { client: 2, clock: 0, origin: Y.createID(2, 0) }],
    ['a right origin at a later clock of its own client', { client: 2, clock: 0, right: Y.createID(2, 9) }],
    ['a parent at a later clock of its own client', { client: 2, clock: 0, parent: Y.createID(2, 9) }],
  ])('refuses an item with %s, which throws in every replica', (_name, item) => {
    const { update } = hello();
    const room = new Room();
    room.receive(update);
    const poison = handMade(item);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, update);
    expect(() => Y.applyUpdate(replica, poison)).toThrow();
    expect(room.receive(poison)).toMatchObject({ kind: 'refused' });
    expect(neverIntegrates(Y.decodeUpdate(poison))).toMatch(/own client/);
    expect(neverIntegrates(Y.decodeUpdate(update))).toBeUndefined();
  });

  it('holds an item whose origin another client has not sent yet, and releases it when that arrives', () => {
    const { doc, update } = hello();
    const room = new Room();
    const later = new Y.Doc();
    later.clientID = 2;
    Y.applyUpdate(later, update);
    later.getText('content').insert(5, '!');
    const dependent = Y.encodeStateAsUpdate(later, Y.encodeStateVector(doc));
    const admission = room.receive(dependent) as Admitted;
    expect(admission.ready).toBeUndefined();
    expect(admission.held).toBeDefined();
    room.receive(update);
    expect(room.held).toEqual([]);
    expect(textOf(...room.stored)).toBe('hello!');
  });

  it("holds a claimed client's new clocks and what builds on them", () => {
    const { doc, update } = hello();
    const index = new DocIndex();
    const first = admitUpdate(index, update, Y.decodeUpdate(update));
    commitAdmission(index, first as Admitted);
    const claimed = (client: number) => client === doc.clientID;
    doc.getText('content').insert(5, '!');
    const other = new Y.Doc();
    other.clientID = 2;
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.getText('content').insert(6, '?');
    const both = Y.encodeStateAsUpdate(other);
    const admission = admitUpdate(index, both, Y.decodeUpdate(both), claimed) as Admitted;
    expect(admission.ready).toBeUndefined();
    expect(admission.clocks).toEqual(new Float64Array());
    // The held part keeps the claimed run whole: its overlap is trimmed when it is judged again.
    const held = Y.decodeUpdate(admission.held!).structs.map((s) => [s.id.client, s.id.clock + s.length]);
    expect(held.sort()).toEqual([
      [doc.clientID, 6],
      [2, 1],
    ]);
    // Unclaimed, the same update is ready whole.
    expect(admitUpdate(index, both, Y.decodeUpdate(both))).toMatchObject({ held: undefined, readyStructs: 2 });
  });

  it('holds deletions of ranges the document does not have', () => {
    const deleter = new Y.Doc();
    const { update } = hello();
    Y.applyUpdate(deleter, update);
    const deletion: Uint8Array[] = [];
    deleter.on('update', (u: Uint8Array) => deletion.push(u));
    deleter.getText('content').delete(0, 5);
    const room = new Room();
    const admission = room.receive(deletion[0]!) as Admitted;
    expect([admission.ready, admission.held !== undefined]).toEqual([undefined, true]);
    room.receive(update);
    expect(textOf(...room.stored)).toBe('');
  });

  it('accepts an item whose parent is not a type: Yjs integrates it as garbage', () => {
    const { update } = hello();
    const room = new Room();
    room.receive(update);
    const odd = handMade({ client: 2, clock: 0, parent: Y.createID(1, 2) });
    expect(room.receive(odd).kind).toBe('admitted');
    expect(textOf(mergeUpdates(room.stored))).toBe('hello');
  });

  it('refuses two runs of structs for one client (Yjs would keep only the last)', () => {
    const a = handMade({ client: 2, clock: 0 });
    const b = handMade({ client: 3, clock: 0 });
    const c = handMade({ client: 2, clock: 1, origin: Y.createID(2, 0) });
    const body = (u: Uint8Array) => u.subarray(1, u.length - 1);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 3);
    for (const part of [a, b, c]) encoding.writeUint8Array(encoder, body(part));
    encoding.writeVarUint(encoder, 0);
    const twice = encoding.toUint8Array(encoder);
    expect(Y.decodeUpdate(twice).structs).toHaveLength(3);
    expect(admitUpdate(new DocIndex(), twice, Y.decodeUpdate(twice))).toMatchObject({ kind: 'refused' });
  });
});
