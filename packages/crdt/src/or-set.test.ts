import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../test/fast-check-setup.js';
import { orSetKind } from '../test/kinds.js';
import { states } from '../test/states.js';
import {
  CrdtDecodeError,
  canonicalize,
  cloneOrSet,
  createOrSet,
  decodeOrSet,
  encodeOrSet,
  joinOrSets,
  mergeOrSet,
  orSetAdd,
  orSetClear,
  orSetHas,
  orSetRemove,
  orSetSize,
  orSetValues,
} from './index.js';

describe('OR-Set', () => {
  it('merge reports exactly the elements that appeared and disappeared', () => {
    fc.assert(
      fc.property(states(orSetKind), ([a, b]) => {
        const target = cloneOrSet(a);
        const change = mergeOrSet(target, b);
        const before = new Set(a.entries.keys());
        const after = new Set(target.entries.keys());
        const keys = (values: readonly unknown[] = []) => values.map((value) => canonicalize(value).key).sort();
        expect(keys(change?.added)).toEqual([...after].filter((key) => !before.has(key)).sort());
        expect(keys(change?.removed)).toEqual([...before].filter((key) => !after.has(key)).sort());
      }),
      { numRuns: runs(150) },
    );
  });

  it('add wins over a concurrent remove; a remove that saw the add wins over it', () => {
    const a = createOrSet();
    const b = createOrSet();
    mergeOrSet(b, orSetAdd(a, 'a', 'x').delta);
    const remove = orSetRemove(b, 'x').delta;
    const readd = orSetAdd(a, 'a', 'x').delta;
    mergeOrSet(a, remove);
    mergeOrSet(b, readd);
    expect(orSetHas(a, 'x')).toBe(true);
    expect(orSetHas(b, 'x')).toBe(true);
    mergeOrSet(a, orSetRemove(b, 'x').delta);
    expect(orSetHas(a, 'x')).toBe(false);
  });

  it('a remove delivered before the add it observed still removes it', () => {
    const a = createOrSet();
    const b = createOrSet();
    const add = orSetAdd(a, 'a', 'x').delta;
    const remove = orSetRemove(a, 'x').delta;
    mergeOrSet(b, remove);
    mergeOrSet(b, add);
    expect(orSetSize(b)).toBe(0);
    expect(encodeOrSet(b)).toEqual(encodeOrSet(a));
  });

  it('compares elements by canonical JSON', () => {
    const set = createOrSet();
    orSetAdd(set, 'a', { b: 2, a: 1 });
    orSetAdd(set, 'a', -0);
    expect(orSetHas(set, { a: 1, b: 2 })).toBe(true);
    expect(orSetHas(set, 0)).toBe(true);
    expect(orSetAdd(set, 'a', { a: 1, b: 2 }).change).toBeNull();
    expect(orSetValues(set)).toEqual([0, { a: 1, b: 2 }]);
    expect(orSetRemove(set, 0).change).toEqual({ added: [], removed: [0] });
  });

  it('clear removes what was observed, not concurrent adds', () => {
    const a = createOrSet();
    const b = createOrSet();
    mergeOrSet(b, orSetAdd(a, 'a', 'x').delta);
    const concurrent = orSetAdd(a, 'a', 'y').delta;
    const cleared = orSetClear(b);
    expect(cleared.change).toEqual({ added: [], removed: ['x'] });
    mergeOrSet(a, cleared.delta);
    mergeOrSet(b, concurrent);
    expect(orSetValues(a)).toEqual(['y']);
    expect(orSetValues(b)).toEqual(['y']);
  });

  it('removes leave no per-element tombstones', () => {
    const set = createOrSet();
    const empty = encodeOrSet(set).length;
    for (let i = 0; i < 1_000; i++) orSetAdd(set, 'replica', `element-${i}`);
    for (let i = 0; i < 1_000; i++) orSetRemove(set, `element-${i}`);
    // What is left is the causal context: one counter for the one replica.
    expect(encodeOrSet(set).length - empty).toBeLessThan(20);
    expect(set.context.cloud.size).toBe(0);
  });

  it('keeps the version 1 byte layout', () => {
    const set = createOrSet();
    orSetAdd(set, 'a', 'x');
    // version, type, replicas [a], prefixes [a:1], no cloud, 1 entry: string "x", 1 dot (a, +1)
    expect([...encodeOrSet(set)]).toEqual([1, 2, 1, 1, 97, 1, 0, 1, 0, 1, 5, 1, 120, 1, 0, 1]);
  });

  it('rejects encodings that break its invariants', () => {
    const bad = {
      'a dot outside the context': [1, 2, 1, 1, 97, 0, 0, 1, 5, 1, 120, 1, 0, 1],
      'an element twice': [1, 2, 1, 1, 97, 1, 0, 2, 0, 2, 5, 1, 120, 1, 0, 1, 5, 1, 120, 1, 0, 1],
      'an element without dots': [1, 2, 1, 1, 97, 1, 0, 1, 0, 1, 5, 1, 120, 0],
      'a non-canonical JSON element': [1, 2, 1, 1, 97, 1, 0, 1, 0, 1, 6, 13, ...Buffer.from('{"b":1,"a":2}')],
      'a replica table out of order': [1, 2, 2, 1, 98, 1, 97, 0, 0, 0],
      'another type': [1, 4, 0, 0],
      'another format version': [2, 2, 0, 0, 0, 0],
      'trailing bytes': [1, 2, 0, 0, 0, 0, 0],
    };
    for (const [name, bytes] of Object.entries(bad)) {
      expect(() => decodeOrSet(Uint8Array.from(bytes)), name).toThrow(CrdtDecodeError);
    }
    expect(() => decodeOrSet('nope' as unknown as Uint8Array)).toThrow(CrdtDecodeError);
  });

  it('joins without touching its inputs', () => {
    const a = createOrSet();
    const b = createOrSet();
    orSetAdd(a, 'a', 1);
    orSetAdd(b, 'b', 2);
    const before = [encodeOrSet(a), encodeOrSet(b)];
    expect(orSetValues(joinOrSets(a, b))).toEqual([1, 2]);
    expect([encodeOrSet(a), encodeOrSet(b)]).toEqual(before);
  });

  it('refuses to create a dot no decoder would accept when a peer claimed all of its counters', () => {
    const set = createOrSet();
    set.context.vv.set('me', Number.MAX_SAFE_INTEGER);
    expect(() => orSetAdd(set, 'me', 'x')).toThrow(RangeError);
    expect(orSetSize(set)).toBe(0);
  });

  it('refuses invalid replica ids and non-JSON elements', () => {
    expect(() => orSetAdd(createOrSet(), '', 'x')).toThrow(TypeError);
    expect(() => orSetAdd(createOrSet(), 'a', undefined as never)).toThrow(TypeError);
  });
});
