import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { runs } from '../test/fast-check-setup.js';
import { kinds } from '../test/kinds.js';
import { runYjs, schedule } from '../test/network.js';
import {
  type BindingEvent,
  ClockDriftError,
  CrdtDecodeError,
  createOrSet,
  encodeOrSet,
  HybridLogicalClock,
  type LwwMapChange,
  type OrSetChange,
  orSetAdd,
  YLwwMap,
  YOrSet,
} from './index.js';

type AnyKind = (typeof kinds)[0];

for (const kind of kinds as unknown as AnyKind[]) {
  describe(`${kind.name} through Yjs`, () => {
    it('replicas bound to their own Y.Docs, exchanging Yjs updates over a faulty network, converge', () => {
      fc.assert(
        fc.property(schedule(kind.op, 50), (plan) => {
          const result = runYjs(kind, plan);
          for (const encoding of result.encodings) expect(encoding).toEqual(result.oracle);
          for (const content of result.contents) expect(content).toEqual(result.contents[0]);
          if (!kind.specNeedsStates) expect(result.views[0]).toEqual(kind.spec(result.log));
          // A stock Yjs client that knows nothing of the CRDT relays the document unchanged.
          const stock = new Y.Doc();
          Y.applyUpdate(stock, result.docs[0] as Uint8Array);
          expect(stock.getMap('crdt').toJSON()).toEqual(result.contents[0]);
          const fresh = new Y.Doc();
          Y.applyUpdate(fresh, Y.encodeStateAsUpdate(stock));
          const binding = kind.bind(fresh.getMap('crdt'), { id: 'fresh', clock: new HybridLogicalClock('fresh') }, {});
          expect(kind.encode(binding.current)).toEqual(result.oracle);
        }),
        { numRuns: runs(25) },
      );
    });
  });
}

const sync = (a: Y.Doc, b: Y.Doc): void => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

const docWithClient = (clientID: number): Y.Doc => {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return doc;
};

describe('stock Yjs interoperability', () => {
  it('a stock client round-trips the document without changing the CRDT data', () => {
    const doc = new Y.Doc();
    const set = new YOrSet(doc.getMap('tags'), { replica: 'a' });
    for (const tag of ['draft', 'urgent', { label: 'x', color: 3 }]) set.add(tag);
    set.remove('urgent');
    const before = doc.getMap('tags').toJSON();

    const stock = new Y.Doc();
    Y.applyUpdate(stock, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(stock));
    expect(doc.getMap('tags').toJSON()).toEqual(before);
    expect(set.values()).toEqual(['draft', { color: 3, label: 'x' }]);

    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(stock));
    expect(new YOrSet(elsewhere.getMap('tags'), { replica: 'b' }).values()).toEqual(set.values());
  });

  it('two replicas that sync only through a stock client converge', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom('add', 'remove'), fc.constantFrom('p', 'q', 'r')), {
          maxLength: 30,
        }),
        fc.array(fc.boolean(), { maxLength: 30 }),
        (ops, relayOrder) => {
          const [a, b, stock] = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
          const setA = new YOrSet(a.getMap('s'), { replica: 'a' });
          const setB = new YOrSet(b.getMap('s'), { replica: 'b' });
          // Each Meshpad doc only ever talks to the stock doc, which forwards nothing by itself.
          const pending: Array<() => void> = [];
          a.on('update', (update: Uint8Array, origin: unknown) => {
            if (origin !== stock) pending.push(() => Y.applyUpdate(stock, update, a));
          });
          b.on('update', (update: Uint8Array, origin: unknown) => {
            if (origin !== stock) pending.push(() => Y.applyUpdate(stock, update, b));
          });
          const relay = (): void => {
            Y.applyUpdate(a, Y.encodeStateAsUpdate(stock, Y.encodeStateVector(a)), stock);
            Y.applyUpdate(b, Y.encodeStateAsUpdate(stock, Y.encodeStateVector(b)), stock);
          };
          ops.forEach(([onA, op, value], i) => {
            const set = onA ? setA : setB;
            if (op === 'add') set.add(value);
            else set.remove(value);
            if (relayOrder[i]) {
              for (const deliver of pending.splice(0).reverse()) deliver();
              relay();
            }
          });
          for (const deliver of pending.splice(0)) deliver();
          relay();
          expect(setA.values()).toEqual(setB.values());
          expect(encodeOrSet(setA.current)).toEqual(encodeOrSet(setB.current));
        },
      ),
      { numRuns: runs(100) },
    );
  });
});

describe('CRDT semantics instead of Y.Map conflict rules', () => {
  it('OR-Set: a remove that saw only its own add does not remove a concurrent add (Y.Map loses it)', () => {
    const [a, b] = [docWithClient(2), docWithClient(1)];
    a.getMap('plain').set('x', true);
    b.getMap('plain').set('x', true);
    a.getMap('plain').delete('x');
    const setA = new YOrSet(a.getMap('crdt'), { replica: 'a' });
    const setB = new YOrSet(b.getMap('crdt'), { replica: 'b' });
    setA.add('x');
    setB.add('x');
    setA.remove('x');
    sync(a, b);
    expect(a.getMap('plain').has('x')).toBe(false);
    expect(b.getMap('plain').has('x')).toBe(false);
    expect(setA.has('x')).toBe(true);
    expect(setB.has('x')).toBe(true);
  });

  it('LWW-Map: the later write by hybrid logical clock wins (Y.Map picks the higher client id)', () => {
    const [a, b] = [docWithClient(2), docWithClient(1)];
    const at = (time: number) => ({ now: () => time });
    const titlesA = new YLwwMap(a.getMap('titles'), { replica: 'a', ...at(1_000) });
    const titlesB = new YLwwMap(b.getMap('titles'), { replica: 'b', ...at(2_000) });
    a.getMap('plain').set('doc-1', 'written first');
    b.getMap('plain').set('doc-1', 'written later');
    titlesA.set('doc-1', 'written first');
    titlesB.set('doc-1', 'written later');
    sync(a, b);
    expect(a.getMap('plain').get('doc-1')).toBe('written first');
    expect(titlesA.get('doc-1')).toBe('written later');
    expect(titlesB.get('doc-1')).toBe('written later');
  });
});

describe('binding events', () => {
  it('reports local and remote changes with what was added and removed, until unobserved', () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const setA = new YOrSet(a.getMap('s'), { replica: 'a' });
    const setB = new YOrSet(b.getMap('s'), { replica: 'b' });
    const seenA: Array<BindingEvent<OrSetChange>> = [];
    const seenB: Array<BindingEvent<OrSetChange>> = [];
    const listenerB = (event: BindingEvent<OrSetChange>): void => {
      seenB.push(event);
    };
    setA.observe((event) => seenA.push(event));
    setB.observe(listenerB);
    setA.add('x');
    setA.add('x');
    setA.add('y');
    sync(a, b);
    setB.remove('x');
    sync(a, b);
    expect(seenA).toEqual([
      { type: 'change', change: { added: ['x'], removed: [] }, local: true },
      { type: 'change', change: { added: ['y'], removed: [] }, local: true },
      { type: 'change', change: { added: [], removed: ['x'] }, local: false },
    ]);
    expect(seenB).toEqual([
      { type: 'change', change: { added: ['x', 'y'], removed: [] }, local: false },
      { type: 'change', change: { added: [], removed: ['x'] }, local: true },
    ]);
    setB.unobserve(listenerB);
    setA.add('z');
    sync(a, b);
    expect(seenB).toHaveLength(2);
    expect(setB.has('z')).toBe(true);
  });

  it('reports typed LWW-Map key changes', () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const mapA = new YLwwMap(a.getMap('m'), { replica: 'a' });
    const mapB = new YLwwMap(b.getMap('m'), { replica: 'b' });
    const changes: LwwMapChange[] = [];
    mapB.observe((event) => {
      if (event.type === 'change') changes.push(event.change);
    });
    mapA.set('title', 'Hello');
    sync(a, b);
    mapA.delete('title');
    sync(a, b);
    expect(changes).toEqual([
      { changed: [{ key: 'title', previous: undefined, value: 'Hello' }] },
      { changed: [{ key: 'title', previous: 'Hello', value: undefined }] },
    ]);
  });
});

describe('untrusted data in the document', () => {
  it('bytes that do not decode are reported, ignored, and change nothing', () => {
    const doc = new Y.Doc();
    const root = doc.getMap('s');
    const set = new YOrSet(root, { replica: 'a' });
    set.add('kept');
    const events: Array<BindingEvent<OrSetChange>> = [];
    set.observe((event) => events.push(event));
    const before = encodeOrSet(set.current);
    // A stock client writes garbage where a replica's slot would be, and into a slot.
    const stock = new Y.Doc();
    Y.applyUpdate(stock, Y.encodeStateAsUpdate(doc));
    const bogus = new Y.Array<Uint8Array>();
    bogus.push([Uint8Array.of(1, 2, 200, 7), Uint8Array.of(9)]);
    stock.getMap('s').set('mallory', bogus);
    stock.getMap('s').set('eve', 'not an array');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(stock, Y.encodeStateVector(doc)));
    expect(encodeOrSet(set.current)).toEqual(before);
    const rejected = events.filter((event) => event.type === 'rejected');
    expect(rejected.map((event) => event.replica).sort()).toEqual(['eve', 'mallory', 'mallory']);
    for (const event of rejected) expect(event.type === 'rejected' && event.error).toBeInstanceOf(CrdtDecodeError);
    // Valid data next to the garbage still merges, and a checkpoint leaves the garbage alone.
    const other = createOrSet();
    stock.getMap('s').set('bob', Y.Array.from([encodeOrSet(orSetAdd(other, 'bob', 'fine').delta)]));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(stock, Y.encodeStateVector(doc)));
    expect(set.values()).toEqual(['fine', 'kept']);
  });

  it('timestamps beyond the drift bound are rejected without changing state, and merged once in range', () => {
    let time = 1_000_000;
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const fast = new YLwwMap(a.getMap('m'), { replica: 'fast', now: () => time + 600_000 });
    const local = new YLwwMap(b.getMap('m'), { replica: 'local', now: () => time, maxDrift: 60_000 });
    local.set('title', 'mine');
    const errors: unknown[] = [];
    local.observe((event) => {
      if (event.type === 'rejected') errors.push(event.error);
    });
    fast.set('title', 'from the future');
    const lastBefore = local.clock.last;
    sync(a, b);
    expect(local.get('title')).toBe('mine');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ClockDriftError);
    expect(local.clock.last).toEqual(lastBefore);
    time += 600_000;
    local.retry();
    expect(local.get('title')).toBe('from the future');
  });
});

describe('bounded Yjs storage', () => {
  const size = (doc: Y.Doc): number => Y.encodeStateAsUpdate(doc).length;

  // The same workload on a Y.Map used as a set, for comparison: every removed key stays as a tombstone.
  function plainMapSizes(cycles: number, perCycle: number): number[] {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const sizes: number[] = [];
    for (let cycle = 0; cycle < cycles; cycle++) {
      for (let i = 0; i < perCycle; i++) a.getMap('s').set(`e-${cycle}-${i}`, true);
      sync(a, b);
      for (let i = 0; i < perCycle; i++) b.getMap('s').delete(`e-${cycle}-${i}`);
      sync(a, b);
      sizes.push(size(a));
    }
    return sizes;
  }

  it('add/remove cycles leave no per-element residue', () => {
    const doc = new Y.Doc();
    const set = new YOrSet(doc.getMap('s'), { replica: 'a' });
    const sizes: number[] = [];
    for (let cycle = 0; cycle < 30; cycle++) {
      for (let i = 0; i < 100; i++) set.add(`e-${cycle}-${i}`);
      for (let i = 0; i < 100; i++) set.remove(`e-${cycle}-${i}`);
      sizes.push(size(doc));
    }
    const plain = plainMapSizes(30, 100);
    // Between checkpoints the slot holds up to ~1 kB of deltas; what accumulates is a few bytes
    // per checkpoint (the replaced slot's map entry), against ~10 bytes per key in a Y.Map.
    const growth = ((sizes[29] as number) - (sizes[9] as number)) / 20;
    const plainGrowth = ((plain[29] as number) - (plain[9] as number)) / 20;
    expect(growth).toBeLessThan(plainGrowth / 20);
    expect(sizes[29]).toBeLessThan((plain[29] as number) / 10);
  });

  it('two replicas interleaving adds and removes keep the document small', () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const setA = new YOrSet(a.getMap('s'), { replica: 'a' });
    const setB = new YOrSet(b.getMap('s'), { replica: 'b' });
    const sizes: number[] = [];
    for (let cycle = 0; cycle < 60; cycle++) {
      for (let i = 0; i < 20; i++) setA.add(`e-${cycle}-${i}`);
      sync(a, b);
      for (let i = 0; i < 20; i++) setB.remove(`e-${cycle}-${i}`);
      sync(a, b);
      sizes.push(size(a));
    }
    expect(setA.size).toBe(0);
    expect(size(b)).toBe(size(a));
    const plain = plainMapSizes(60, 20);
    const minimum = (from: number): number => Math.min(...sizes.slice(from, from + 10));
    const perCycle = (minimum(50) - minimum(10)) / 40;
    const plainPerCycle = ((plain[59] as number) - (plain[19] as number)) / 40;
    expect(perCycle).toBeLessThan(plainPerCycle / 10);
    expect(sizes[59]).toBeLessThan((plain[59] as number) / 2);
  });

  it('compact() leaves one snapshot, about the size of the encoded state', () => {
    const doc = new Y.Doc();
    const set = new YOrSet(doc.getMap('s'), { replica: 'a' });
    for (let i = 0; i < 2_000; i++) set.add(`element-${i}`);
    for (let i = 0; i < 1_500; i++) set.remove(`element-${i}`);
    const before = size(doc);
    set.compact();
    expect((doc.getMap('s').get('a') as Y.Array<Uint8Array>).length).toBe(1);
    expect(size(doc)).toBeLessThan(before);
    // Beyond the snapshot: the map entry, and ~10 bytes left by each earlier automatic checkpoint.
    expect(size(doc)).toBeLessThan(encodeOrSet(set.current).length + 256);
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(doc));
    expect(new YOrSet(elsewhere.getMap('s'), { replica: 'b' }).size).toBe(500);
  });

  it('slots of replicas that are gone are emptied by a live replica checkpoint', () => {
    const main = new Y.Doc();
    const live = new YOrSet(main.getMap('s'), { replica: 'live' });
    for (let session = 0; session < 30; session++) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(main));
      const set = new YOrSet(doc.getMap('s'), { replica: `session-${session}` });
      for (let i = 0; i < 10; i++) set.add(`s${session}-${i}`);
      for (let i = 0; i < 5; i++) set.remove(`s${session}-${i}`);
      Y.applyUpdate(main, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(main)));
      set.destroy();
    }
    for (let i = 0; live.current && i < 200; i++) live.add(`live-${i % 3}`);
    expect(live.size).toBe(30 * 5 + 3);
    let foreignBlobs = 0;
    main.getMap('s').forEach((value, key) => {
      if (key !== 'live') foreignBlobs += (value as Y.Array<Uint8Array>).length;
    });
    expect(foreignBlobs).toBe(0);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(main));
    expect(new YOrSet(reloaded.getMap('s'), { replica: 'late' }).values()).toEqual(live.values());
  });
});

describe('binding lifecycle', () => {
  it('a replica that binds again to its persisted slot continues with fresh dots', () => {
    const doc = new Y.Doc();
    const first = new YOrSet(doc.getMap('s'), { replica: 'a' });
    first.add('x');
    first.remove('x');
    first.destroy();
    const restored = new Y.Doc();
    Y.applyUpdate(restored, Y.encodeStateAsUpdate(doc));
    const again = new YOrSet(restored.getMap('s'), { replica: 'a' });
    again.add('x');
    expect(again.has('x')).toBe(true);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(restored));
    expect(new YOrSet(other.getMap('s'), { replica: 'b' }).has('x')).toBe(true);
  });

  it('refuses operations after destroy, without changing its state, and stops observing', () => {
    const doc = new Y.Doc();
    const set = new YOrSet(doc.getMap('s'), { replica: 'a' });
    set.destroy();
    expect(() => set.add('x')).toThrow(/destroyed/);
    expect(set.has('x')).toBe(false);
    expect(doc.getMap('s').size).toBe(0);
    expect(() => new YOrSet(new Y.Map(), {})).toThrow(TypeError);
  });

  it("a new replica's first write is its delta, not a copy of the whole state", () => {
    const doc = new Y.Doc();
    const first = new YOrSet(doc.getMap('s'), { replica: 'a' });
    for (let i = 0; i < 1_000; i++) first.add(`element-${i}`);
    const later = new Y.Doc();
    Y.applyUpdate(later, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    later.on('update', (update: Uint8Array) => updates.push(update));
    new YOrSet(later.getMap('s'), { replica: 'b' }).add('one more');
    expect(updates).toHaveLength(1);
    expect((updates[0] as Uint8Array).length).toBeLessThan(100);
  });

  it('rewrites everything it knows when another client deletes its slot', () => {
    const doc = new Y.Doc();
    const set = new YOrSet(doc.getMap('s'), { replica: 'a' });
    set.add('x');
    set.add('y');
    const stock = new Y.Doc();
    Y.applyUpdate(stock, Y.encodeStateAsUpdate(doc));
    stock.getMap('s').delete('a');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(stock, Y.encodeStateVector(doc)));
    expect(set.values()).toEqual(['x', 'y']);
    set.add('z');
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(doc));
    expect(new YOrSet(elsewhere.getMap('s'), { replica: 'b' }).values()).toEqual(['x', 'y', 'z']);
  });
});
