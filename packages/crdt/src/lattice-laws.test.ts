import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../test/fast-check-setup.js';
import { kinds } from '../test/kinds.js';
import { states } from '../test/states.js';
import { CrdtDecodeError } from './index.js';

for (const kind of kinds as unknown as Array<(typeof kinds)[0]>) {
  const encode = kind.encode;
  describe(`${kind.name} lattice`, () => {
    it('merge is commutative, associative and idempotent, and leaves its inputs alone', () => {
      fc.assert(
        fc.property(states(kind), ([a, b, c]) => {
          const before = [encode(a), encode(b), encode(c)];
          expect(encode(kind.join(a, b))).toEqual(encode(kind.join(b, a)));
          expect(encode(kind.join(kind.join(a, b), c))).toEqual(encode(kind.join(a, kind.join(b, c))));
          expect(encode(kind.join(a, a))).toEqual(encode(a));
          // The join is an upper bound: joining it with either input changes nothing.
          const ab = kind.join(a, b);
          expect(encode(kind.join(ab, a))).toEqual(encode(ab));
          expect([encode(a), encode(b), encode(c)]).toEqual(before);
        }),
        { numRuns: runs(150) },
      );
    });

    it('in-place merge equals the join', () => {
      fc.assert(
        fc.property(states(kind), ([a, b]) => {
          const target = kind.clone(a);
          kind.merge(target, b);
          expect(encode(target)).toEqual(encode(kind.join(a, b)));
        }),
        { numRuns: runs(100) },
      );
    });

    it('encode/decode round-trips', () => {
      fc.assert(
        fc.property(states(kind), ([a]) => {
          const bytes = encode(a);
          const decoded = kind.decode(bytes);
          expect(encode(decoded)).toEqual(bytes);
          expect(kind.view(decoded)).toEqual(kind.view(a));
        }),
        { numRuns: runs(100) },
      );
    });

    it('random bytes throw CrdtDecodeError and change no state', () => {
      fc.assert(
        fc.property(states(kind), fc.uint8Array({ maxLength: 64 }), ([a], bytes) => {
          const before = encode(a);
          let decoded: ReturnType<typeof kind.decode>;
          try {
            decoded = kind.decode(bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(CrdtDecodeError);
            expect(encode(a)).toEqual(before);
            return;
          }
          // The rare random input that is valid (e.g. an empty state) must round-trip.
          expect(encode(kind.decode(encode(decoded)))).toEqual(encode(decoded));
        }),
        { numRuns: runs(200) },
      );
    });

    it('corrupted encodings throw CrdtDecodeError or decode to a state that round-trips', () => {
      const corruption = fc.oneof(
        fc.record({ type: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
        fc.record({ type: fc.constant('truncate' as const), at: fc.nat() }),
        fc.record({ type: fc.constant('insert' as const), at: fc.nat(), byte: fc.nat(255) }),
        fc.record({ type: fc.constant('set' as const), at: fc.nat(), byte: fc.nat(255) }),
      );
      fc.assert(
        fc.property(states(kind), fc.array(corruption, { minLength: 1, maxLength: 3 }), ([a], corruptions) => {
          let bytes = [...encode(a)];
          for (const corrupt of corruptions) {
            const at = corrupt.at % Math.max(1, bytes.length);
            if (corrupt.type === 'flip') bytes[at] = (bytes[at] ?? 0) ^ (1 << corrupt.bit);
            else if (corrupt.type === 'truncate') bytes = bytes.slice(0, at);
            else if (corrupt.type === 'insert') bytes.splice(at, 0, corrupt.byte);
            else bytes[at] = corrupt.byte;
          }
          let decoded: ReturnType<typeof kind.decode>;
          try {
            decoded = kind.decode(Uint8Array.from(bytes));
          } catch (error) {
            expect(error).toBeInstanceOf(CrdtDecodeError);
            return;
          }
          expect(encode(kind.decode(encode(decoded)))).toEqual(encode(decoded));
        }),
        { numRuns: runs(300) },
      );
    });
  });
}
