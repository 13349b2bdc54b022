import fc from 'fast-check';
import type { Json } from '../src/index.js';

/**
 * JSON values from a small universe, so that replicas often touch the same element, with the cases
 * canonical encoding must get right: key order, integer-like keys, -0, floats, lone surrogates,
 * "__proto__" keys.
 */
export const element: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Json>('a', 'b', 'c', 'd', 'e') },
  { weight: 2, arbitrary: fc.integer({ min: -2, max: 2 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Json>(
      null,
      true,
      false,
      -0,
      1.5,
      '\ud800',
      '',
      [1, 'a'],
      { b: 1, a: [null, { z: 2, '10': 1, '9': 0 }] },
      JSON.parse('{"__proto__":1}') as Json,
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
);

/** Keys of LWW-Maps: a few, so that writes collide. */
export const mapKey = fc.constantFrom('k0', 'k1', 'k2', 'k3', '', '__proto__');
