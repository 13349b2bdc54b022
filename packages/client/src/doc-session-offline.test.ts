import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { eventually } from '../test/eventually.js';
import { type SaveRelay, startSaveRelay } from '../test/save-relay.js';
import { newDocId } from './doc-id.js';
import { DocSession } from './doc-session.js';
import { type LocalDatabase, openLocalDatabase } from './local-database.js';

let relay: SaveRelay;
let databases = 0;
const sessions: DocSession[] = [];

/** A tab of a browser whose IndexedDB is `db`. */
const open = (docId: string, db: LocalDatabase | false, relayUrl = relay.url): DocSession => {
  const session = new DocSession({
    docId,
    relayUrl,
    user: { name: 'Ada', colour: '#1670c9' },
    WebSocket,
    crossTab: false,
    localCopy: db,
  });
  sessions.push(session);
  return session;
};

/** Closes a tab the way a browser does once its writes are done. */
const close = async (session: DocSession): Promise<void> => {
  await session.flushLocalCopy();
  session.destroy();
};

beforeEach(async () => {
  relay = await startSaveRelay();
});

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await relay.stop();
});

describe('DocSession with a local copy', () => {
  it('opens from the local copy with the relay down, counts offline changes across a reload, then saves them', async () => {
    const db = openLocalDatabase(`doc-session-offline-${databases++}`);
    const docId = newDocId();
    const first = open(docId, db);
    await first.whenSynced();
    first.text.insert(0, 'Notes: stored by the relay.');
    await eventually(() => first.status.unsaved === 0, 'the relay confirms the first edit');
    await close(first);

    await relay.crash();
    const offline = open(docId, db);
    await offline.whenSynced();
    expect(offline.status).toMatchObject({ loaded: true, synced: false, unsaved: 0, localCopy: { state: 'ready' } });
    expect(offline.text.toString()).toBe('Notes: stored by the relay.');
    offline.text.delete(0, 7);
    offline.text.insert(offline.text.length, ' And written offline.');
    await eventually(() => offline.status.connection === 'offline', 'the session reports offline');
    expect(offline.status.unsaved).toBe(2);
    await close(offline);

    const reopened = open(docId, db);
    await reopened.whenSynced();
    expect(reopened.text.toString()).toBe('stored by the relay. And written offline.');
    expect(reopened.status.unsaved).toBe(2);
    reopened.text.insert(0, '>');
    expect(reopened.status.unsaved).toBe(3);

    await relay.restart();
    await eventually(() => reopened.status.unsaved === 0, 'the relay confirms every offline change', 15_000);
    expect(relay.storedText(docId)).toBe('>stored by the relay. And written offline.');
    await reopened.flushLocalCopy();
    const later = open(docId, db);
    await later.whenSynced();
    expect(later.status.unsaved).toBe(0);
  });

  it('keeps two tabs of one browser in step over BroadcastChannel while the relay is unreachable', async () => {
    const db = openLocalDatabase(`doc-session-offline-${databases++}`);
    const docId = newDocId();
    const first = open(docId, db);
    await first.whenSynced();
    first.text.insert(0, 'shared');
    await close(first);
    const port = relay.port;
    await relay.crash();
    const tab = (): DocSession => {
      const session = new DocSession({
        docId,
        relayUrl: `http://127.0.0.1:${port}`,
        user: { name: 'Ada', colour: '#1670c9' },
        WebSocket,
        localCopy: db,
      });
      sessions.push(session);
      return session;
    };
    const a = tab();
    const b = tab();
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    a.text.insert(a.text.length, ' by a');
    await eventually(() => b.text.toString() === 'shared by a', 'b receives a’s edit with no relay');
    b.text.delete(0, 7);
    await eventually(() => a.text.toString() === 'by a', 'a receives b’s deletion with no relay');
    expect(a.status.connection).toBe('offline');
  });

  it('waits for the relay when this browser has no copy of the document', async () => {
    const db = openLocalDatabase(`doc-session-offline-${databases++}`);
    const port = relay.port;
    await relay.crash();
    const session = open(newDocId(), db, `http://127.0.0.1:${port}`);
    await eventually(() => session.status.localCopy.state === 'ready', 'the (empty) local copy is read');
    await eventually(() => session.status.connection === 'offline', 'the session reports offline');
    expect(session.status.loaded).toBe(false);
    await relay.restart();
    await session.whenSynced();
    expect(session.status.loaded).toBe(true);
  });

  it('says whether a change exists only in memory: until written locally or confirmed by the relay', async () => {
    const db = openLocalDatabase(`doc-session-offline-${databases++}`);
    const session = open(newDocId(), db);
    await session.whenSynced();
    relay.holdStorage();
    session.text.insert(0, 'x');
    expect(session.hasChangesOnlyInMemory).toBe(true);
    await session.flushLocalCopy();
    expect(session.hasChangesOnlyInMemory).toBe(false);
    expect(session.status.unsaved).toBe(1);

    const memoryOnly = open(newDocId(), false);
    await memoryOnly.whenSynced();
    memoryOnly.text.insert(0, 'y');
    expect(memoryOnly.hasChangesOnlyInMemory).toBe(true);
    relay.releaseStorage();
    await eventually(() => memoryOnly.status.unsaved === 0, 'the relay confirms the change');
    expect(memoryOnly.hasChangesOnlyInMemory).toBe(false);
  });

  it('shows a browser without IndexedDB in its status, and still edits through the relay', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error reason: simulates a browser that offers no IndexedDB (some private modes)
    delete globalThis.indexedDB;
    try {
      const session = open(newDocId(), openLocalDatabase('never-opened'));
      await session.whenSynced();
      expect(session.status.localCopy).toMatchObject({ state: 'failed', error: { code: 'unavailable' } });
      session.text.insert(0, 'kept by the relay');
      await eventually(() => session.status.unsaved === 0, 'the relay confirms the change');
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});
