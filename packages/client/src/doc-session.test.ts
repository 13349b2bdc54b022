import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { eventually } from '../test/eventually.js';
import { type ReferenceRelay, startReferenceRelay } from '../test/reference-relay.js';
import { noTimersPending, timeouts } from '../test/timeouts.js';
import { newDocId } from './doc-id.js';
import { DocSession, type SessionStatus } from './doc-session.js';
import { SessionDestroyedError } from './session-destroyed-error.js';

let relay: ReferenceRelay;
const sessions: DocSession[] = [];

const open = (docId: string, name: string, relayUrl = relay.url): DocSession => {
  // crossTab: false, because sessions in one process would otherwise sync over BroadcastChannel, bypassing the relay.
  // No local copy (Node has no IndexedDB): doc-session-offline.test.ts covers it.
  const session = new DocSession({
    docId,
    relayUrl,
    user: { name, colour: '#1670c9' },
    WebSocket,
    crossTab: false,
    localCopy: false,
  });
  sessions.push(session);
  return session;
};

beforeEach(async () => {
  relay = await startReferenceRelay();
});

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await relay.stop();
});

describe('DocSession against a stock y-websocket server', () => {
  it('connects, loads and reports each status change', async () => {
    const session = open(newDocId(), 'Ada');
    const seen: SessionStatus[] = [];
    session.on('status', (status) => seen.push(status));
    expect(session.status).toMatchObject({ connection: 'connecting', synced: false, loaded: false, unsaved: 0 });
    await session.whenSynced();
    expect(session.status).toMatchObject({ connection: 'connected', synced: true, loaded: true, unsaved: 0 });
    expect(seen.at(-1)).toEqual(session.status);
    expect(seen.map((s) => s.connection)).toContain('connected');
  });

  it('converges two sessions editing the same document at once', async () => {
    const docId = newDocId();
    const a = open(docId, 'Ada');
    const b = open(docId, 'Bob');
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    for (let i = 0; i < 50; i++) {
      a.text.insert(0, 'a');
      b.text.insert(b.text.length, 'b');
    }
    await eventually(() => a.text.length === 100 && b.text.length === 100, 'both sessions hold 100 characters');
    expect(a.text.toString()).toBe(b.text.toString());
    const text = a.text.toString();
    expect(text.replaceAll('b', '')).toBe('a'.repeat(50));
    expect(text.replaceAll('a', '')).toBe('b'.repeat(50));
  });

  it('gives a late joiner the whole document by the time it has loaded', async () => {
    const docId = newDocId();
    const writer = open(docId, 'Ada');
    await writer.whenSynced();
    writer.text.insert(0, '# Notes\n\nwritten before anyone else came');
    const late = open(docId, 'Bob');
    await late.whenSynced();
    expect(late.text.toString()).toBe('# Notes\n\nwritten before anyone else came');
  });

  it('keeps rooms apart', async () => {
    const a = open(newDocId(), 'Ada');
    const b = open(newDocId(), 'Bob');
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    a.text.insert(0, 'only in a');
    const c = open(a.docId, 'Cy');
    await c.whenSynced();
    await eventually(() => c.text.toString() === 'only in a', 'a third session in room a sees the text');
    expect(b.text.toString()).toBe('');
  });

  it('shows who is present, with names, colours and "you", and follows renames', async () => {
    const docId = newDocId();
    const a = open(docId, 'Ada');
    const b = open(docId, 'Bob');
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    await eventually(() => a.presence.length === 2 && b.presence.length === 2, 'each session sees two people');
    expect(a.presence.map((p) => [p.name, p.isSelf])).toEqual([
      ['Ada', true],
      ['Bob', false],
    ]);
    expect(b.presence[0]).toMatchObject({ name: 'Bob', isSelf: true, clientId: b.doc.clientID });

    const updates: string[][] = [];
    a.on('presence', (presence) => updates.push(presence.map((p) => p.name)));
    b.setUser({ name: 'Bobby', colour: '#dc1818' });
    await eventually(() => a.presence[1]?.name === 'Bobby', 'the rename reaches the other session');
    expect(a.presence[1]?.colour).toBe('#dc1818');
    expect(updates.at(-1)).toEqual(['Ada', 'Bobby']);
  });

  it('gives people present at once different colours, the lower client id keeping its own', async () => {
    const docId = newDocId();
    // Every session of this file asks for the same colour.
    const sessions = [open(docId, 'Ada'), open(docId, 'Bob'), open(docId, 'Cy')];
    await Promise.all(sessions.map((s) => s.whenSynced()));
    const colours = (s: DocSession) => s.presence.map((p) => p.colour);
    await eventually(
      () => sessions.every((s) => s.presence.length === 3 && new Set(colours(s)).size === 3),
      'three distinct colours everywhere',
    );
    const byClient = (s: DocSession) =>
      s.presence.map((p) => [p.clientId, p.colour]).sort(([x], [y]) => Number(x) - Number(y));
    for (const s of sessions) expect(byClient(s)).toEqual(byClient(sessions[0]!));
    const [first, , last] = [...sessions].sort((x, y) => x.doc.clientID - y.doc.clientID);
    expect(first!.presence.find((p) => p.isSelf)?.colour).toBe('#1670c9');

    // Once the holder of the colour leaves, the next lowest client id takes it back.
    first!.destroy();
    await eventually(
      () => last!.presence.length === 2 && last!.presence.some((p) => p.colour === '#1670c9'),
      'the colour is taken up again',
    );
    expect(new Set(colours(last!)).size).toBe(2);
  });

  it('drops a destroyed session from the others at once (it says goodbye, no 30 s timeout)', async () => {
    const docId = newDocId();
    const a = open(docId, 'Ada');
    const b = open(docId, 'Bob');
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    await eventually(() => a.presence.length === 2, 'Ada sees Bob');
    b.destroy();
    await eventually(() => a.presence.length === 1, 'Bob leaves Ada’s presence list', 2_000);
    expect(a.presence[0]?.isSelf).toBe(true);
  });

  it('is offline while the relay is down, keeps local edits, and syncs them when the relay returns', async () => {
    const docId = newDocId();
    const a = open(docId, 'Ada');
    await a.whenSynced();
    await relay.stop();
    await eventually(() => a.status.connection === 'offline', 'the session notices the relay is gone');
    expect(a.status.synced).toBe(false);
    expect(a.status.loaded).toBe(true);
    a.text.insert(0, 'typed while offline');

    relay = await startReferenceRelay(relay.port);
    await eventually(() => a.status.connection === 'connected' && a.status.synced, 'the session reconnects');
    const b = open(docId, 'Bob');
    await b.whenSynced();
    await eventually(() => b.text.toString() === 'typed while offline', 'the offline edit reaches a new session');
  });

  it('starts offline when the relay cannot be reached, and loads once it can', async () => {
    const port = relay.port;
    await relay.stop();
    const a = open(newDocId(), 'Ada', `http://127.0.0.1:${port}`);
    let loaded = false;
    const synced = a.whenSynced().then(() => {
      loaded = true;
    });
    await eventually(() => a.status.connection === 'offline', 'the session reports offline');
    expect(loaded).toBe(false);
    expect(a.status.loaded).toBe(false);
    relay = await startReferenceRelay(port);
    await synced;
    expect(a.status).toMatchObject({ connection: 'connected', synced: true, loaded: true });
  });
});

describe('DocSession.destroy', () => {
  it('releases the socket, every timer, the awareness and the document', async () => {
    await noTimersPending('the timers of earlier tests have fired');
    const docId = newDocId();
    const watcher = open(docId, 'Watcher');
    await watcher.whenSynced();
    const watcherTimers = timeouts();

    const session = open(docId, 'Ada');
    await session.whenSynced();
    await eventually(() => watcher.presence.length === 2, 'the watcher sees Ada');
    expect(timeouts()).toBeGreaterThan(watcherTimers);

    const events: string[] = [];
    session.on('status', () => events.push('status'));
    session.on('presence', () => events.push('presence'));
    session.destroy();
    session.destroy();

    expect(session.destroyed).toBe(true);
    expect(session.status.connection).toBe('offline');
    expect(session.doc.isDestroyed).toBe(true);
    expect(session.awareness.getLocalState()).toBeNull();
    expect(events).toEqual([]);
    await eventually(() => watcher.presence.length === 1, 'the relay closes Ada’s connection', 2_000);
    // The provider's last reconnect timer fires as a no-op within its backoff (at most 2.5 s).
    await eventually(() => timeouts() === watcherTimers, 'Ada’s timers are all released', 5_000);
    watcher.destroy();
    await noTimersPending('the watcher’s timers are released too');
  });

  it('rejects a pending whenSynced with SessionDestroyedError', async () => {
    const port = relay.port;
    await relay.stop();
    const session = open(newDocId(), 'Ada', `http://127.0.0.1:${port}`);
    const pending = session.whenSynced();
    session.destroy();
    await expect(pending).rejects.toBeInstanceOf(SessionDestroyedError);
    await expect(session.whenSynced()).rejects.toThrow(/destroyed before it synced/);
    relay = await startReferenceRelay();
  });
});

describe('DocSession options', () => {
  it('rejects an invalid document id', () => {
    expect(() => open('not-an-id', 'Ada')).toThrow(RangeError);
  });

  it('rejects a relay URL that is not http(s) or ws(s)', () => {
    expect(() => open(newDocId(), 'Ada', 'file:///tmp')).toThrow(TypeError);
  });
});
