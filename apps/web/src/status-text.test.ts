import { CONNECTION_STATES } from '@meshpad/client';
import { describe, expect, it } from 'vitest';
import { describeStatus } from './status-text.js';

describe('describeStatus', () => {
  it('says connected only when the relay is in step', () => {
    expect(describeStatus({ connection: 'connected', synced: true, loaded: true })).toMatchObject({
      label: 'Connected',
      tone: 'ok',
    });
    expect(describeStatus({ connection: 'connected', synced: false, loaded: true })).toMatchObject({
      label: 'Syncing',
      tone: 'busy',
    });
  });

  it('tells an offline user whether their edits are kept or the document has not loaded', () => {
    const editing = describeStatus({ connection: 'offline', synced: false, loaded: true });
    const waiting = describeStatus({ connection: 'offline', synced: false, loaded: false });
    expect(editing.sentence).toMatch(/changes are kept/);
    expect(waiting.sentence).toMatch(/can’t load yet/);
  });

  it('has a label and a sentence for every state', () => {
    for (const connection of CONNECTION_STATES) {
      for (const loaded of [true, false]) {
        const text = describeStatus({ connection, synced: connection === 'connected', loaded });
        expect(text.label).not.toBe('');
        expect(text.sentence.endsWith('.') || text.sentence.endsWith('…')).toBe(true);
      }
    }
  });
});
