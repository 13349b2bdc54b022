import { mergeUpdates } from '@meshpad/protocol';
import { compactUpdates } from '@meshpad/storage';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { randomEdits, textOf } from '../test/random-edits.js';
import { DocState } from './doc-state.js';

describe('DocState', () => {
  it('holds the whole document whenever asked, through seals and compacted snapshots', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000 }),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(3_000), fc.constantFrom('probe', 'seal', 'compact', 'stale')), { maxLength: 8 }),
        (count, seed, events) => {
          const { updates, text } = randomEdits(seed, count);
          const state = new DocState(updates.slice(0, 10));
          let sealed: { token: number; upTo: number } | undefined;
          for (let i = 10; i < updates.length; i++) {
            state.add(updates[i]!);
            for (const [at, kind] of events) {
              if (at !== i) continue;
              if (kind === 'seal') sealed = { token: state.seal(), upTo: i + 1 };
              if (kind === 'compact' && sealed !== undefined) {
                // The snapshot may hold more than the seal covered: updates stored before storage was read.
                const snapshot = compactUpdates(updates.slice(0, Math.min(i + 1, sealed.upTo + 5)));
                expect(state.replaceCovered(sealed.token, snapshot)).toBe(true);
              }
              if (kind === 'stale' && sealed !== undefined) {
                const old = sealed.token;
                sealed = { token: state.seal(), upTo: i + 1 };
                expect(state.replaceCovered(old, compactUpdates([]))).toBe(false);
              }
              expect(textOf(state.state())).toBe(textOf(mergeUpdates(updates.slice(0, i + 1))));
            }
          }
          expect(textOf(state.state())).toBe(text);
        },
      ),
      { seed: 5, numRuns: 25 },
    );
  });

  it('keeps a compacted document small: deleted text is gone from its state', () => {
    const doc = new Y.Doc();
    const text = doc.getText('content');
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 2_000; i++) text.insert(0, 'x'.repeat(50));
    text.delete(0, text.length - 10);
    const state = new DocState();
    for (const update of updates) state.add(update);
    const merged = state.state().byteLength;
    const token = state.seal();
    state.replaceCovered(token, compactUpdates(updates));
    expect(state.state().byteLength).toBeLessThan(merged / 5);
    expect(textOf(state.state())).toBe('x'.repeat(10));
  });

  it('starts empty', () => {
    expect(textOf(new DocState().state())).toBe('');
  });
});
