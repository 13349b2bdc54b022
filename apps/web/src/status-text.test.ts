import { CONNECTION_STATES, relayClose } from '@meshpad/client';
import { CloseCode } from '@meshpad/protocol';
import { describe, expect, it } from 'vitest';
import { describeStatus } from './status-text.js';

const none = { relayClose: undefined };

describe('describeStatus', () => {
  it('says connected only when the relay is in step', () => {
    expect(describeStatus({ connection: 'connected', synced: true, loaded: true, ...none })).toMatchObject({
      label: 'Connected',
      tone: 'ok',
    });
    expect(describeStatus({ connection: 'connected', synced: false, loaded: true, ...none })).toMatchObject({
      label: 'Syncing',
      tone: 'busy',
    });
  });

  it('tells an offline user whether their edits are kept or the document has not loaded', () => {
    const editing = describeStatus({ connection: 'offline', synced: false, loaded: true, ...none });
    const waiting = describeStatus({ connection: 'offline', synced: false, loaded: false, ...none });
    expect(editing.sentence).toMatch(/changes are kept/);
    expect(waiting.sentence).toMatch(/can’t load yet/);
  });

  it('gives the relay’s reason while reconnecting from a transient close', () => {
    const restarting = relayClose(CloseCode.GoingAway.code, 'relay shutting down');
    const offline = describeStatus({ connection: 'offline', synced: false, loaded: true, relayClose: restarting });
    expect(offline).toMatchObject({ label: 'Offline', tone: 'bad' });
    expect(offline.sentence).toBe(
      'The relay is restarting. Keep writing: your changes are kept and sync when it is back.',
    );
    const loading = describeStatus({ connection: 'offline', synced: false, loaded: false, relayClose: restarting });
    expect(loading.sentence).toBe('The relay is restarting. This document can’t load yet. Retrying…');
    // A dropped connection has no reason to give.
    const dropped = describeStatus({
      connection: 'offline',
      synced: false,
      loaded: true,
      relayClose: relayClose(1006, ''),
    });
    expect(dropped.sentence).toMatch(/^Can’t reach the relay\./);
  });

  it('says the document stopped syncing after a permanent close, and stays steady while refused edits cycle', () => {
    const refused = relayClose(CloseCode.InvalidUpdate.code, 'closing connection: invalid update');
    expect(describeStatus({ connection: 'offline', synced: false, loaded: true, relayClose: refused })).toMatchObject({
      label: 'Not syncing',
      tone: 'bad',
    });
    const tooLarge = relayClose(CloseCode.DocumentTooLarge.code, 'document over its size limit');
    for (const connection of CONNECTION_STATES) {
      expect(
        describeStatus({ connection, synced: connection === 'connected', loaded: true, relayClose: tooLarge }),
      ).toMatchObject({ label: 'Not saving', tone: 'bad' });
    }
  });

  it('has a label and a sentence for every state', () => {
    const closes = [undefined, relayClose(1006, ''), relayClose(4402, ''), relayClose(4503, ''), relayClose(4513, '')];
    for (const connection of CONNECTION_STATES) {
      for (const loaded of [true, false]) {
        for (const close of closes) {
          const text = describeStatus({ connection, synced: connection === 'connected', loaded, relayClose: close });
          expect(text.label).not.toBe('');
          expect(text.sentence.endsWith('.') || text.sentence.endsWith('…')).toBe(true);
        }
      }
    }
  });
});
