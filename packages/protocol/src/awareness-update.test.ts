import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeAwarenessUpdate, encodeAwarenessUpdate, isRemoval } from './awareness-update.js';

describe('awareness updates', () => {
  it('reads what y-protocols writes, and y-protocols reads what we write', () => {
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalStateField('user', { name: 'Ada', color: '#c0ffee' });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const decoded = decodeAwarenessUpdate(update);
    expect(decoded.ok && decoded.value).toEqual([
      { clientID: doc.clientID, clock: 1, state: JSON.stringify({ user: { name: 'Ada', color: '#c0ffee' } }) },
    ]);

    const other = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(other, encodeAwarenessUpdate(decoded.ok ? decoded.value : []), 'test');
    expect(other.getStates().get(doc.clientID)).toEqual({ user: { name: 'Ada', color: '#c0ffee' } });
    awareness.destroy();
    other.destroy();
  });

  it('round-trips arbitrary entries', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ clientID: fc.nat(), clock: fc.nat(), state: fc.jsonValue().map((v) => JSON.stringify(v)) }),
        ),
        (entries) => {
          expect(decodeAwarenessUpdate(encodeAwarenessUpdate(entries))).toEqual({ ok: true, value: entries });
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  it('leaves out entries past the limit without parsing them, and still checks their framing', () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ clientID: i, clock: 1, state: '{"n":1}' }));
    const bad = [...entries.slice(0, 4), { clientID: 9, clock: 1, state: 'not json' }];
    expect(decodeAwarenessUpdate(encodeAwarenessUpdate(bad), 4)).toEqual({ ok: true, value: bad.slice(0, 4) });
    const truncated = encodeAwarenessUpdate(entries).slice(0, -2);
    expect(decodeAwarenessUpdate(truncated, 2).ok).toBe(false);
  });

  it('marks removals', () => {
    expect(isRemoval({ clientID: 1, clock: 2, state: 'null' })).toBe(true);
    expect(isRemoval({ clientID: 1, clock: 2, state: '{}' })).toBe(false);
  });
});
