import { describe, expect, it } from 'vitest';
import { canonicalize } from './index.js';

describe('canonicalize', () => {
  it('sorts object keys by code unit, integer-like keys included, at every depth', () => {
    expect(canonicalize({ b: 1, a: { z: [1, { y: 2, x: 1 }], '10': 0, '9': 0 } }).key).toBe(
      '{"a":{"10":0,"9":0,"z":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(canonicalize({ a: 1, b: 2 }).key).toBe(canonicalize({ b: 2, a: 1 }).key);
  });

  it('normalizes -0 and freezes the copy', () => {
    expect(canonicalize(-0)).toEqual({ key: '0', value: 0 });
    const source = { list: [1] };
    const { value } = canonicalize(source);
    expect(Object.isFrozen(value)).toBe(true);
    source.list.push(2);
    expect(value).toEqual({ list: [1] });
  });

  it('keeps a "__proto__" key as data', () => {
    const { key, value } = canonicalize(JSON.parse('{"__proto__":{"polluted":1}}'));
    expect(key).toBe('{"__proto__":{"polluted":1}}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__']);
  });

  it('rejects what JSON cannot represent exactly', () => {
    for (const bad of [undefined, Number.NaN, Number.POSITIVE_INFINITY, () => 1, Symbol('s'), 10n, new Date(0)]) {
      expect(() => canonicalize(bad)).toThrow(TypeError);
    }
    expect(() => canonicalize({ a: undefined })).toThrow(TypeError);
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is being rejected
    expect(() => canonicalize([1, , 2])).toThrow(TypeError);
    expect(() => canonicalize({ [Symbol('s')]: 1 })).toThrow(TypeError);
  });
});
