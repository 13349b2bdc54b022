import 'fake-indexeddb/auto';
import { once } from 'node:events';
import { AccessDenial, CloseCode } from '@meshpad/protocol';
import wrtc from '@roamhq/wrtc';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { eventually } from '../test/eventually.js';
import { type MeshpadRelay, startMeshpadRelay } from '../test/meshpad-relay.js';
import { parseAccessToken } from './access-token.js';
import { newDocId } from './doc-id.js';
import { DocSession, type DocSessionOptions } from './doc-session.js';
import { openLocalDatabase } from './local-database.js';
import { meshRoomName } from './mesh-room.js';
import { accessDenialOf } from './relay-close.js';
import type { CapabilityGenerations } from './relay-link.js';

// Each test has at most one session in the mesh of a room (y-webrtc allows one provider per room per process), so no
// WebRTC connection is ever opened here: these tests check which rooms sessions join, not the data channels.

/** What every socket the sessions opened was given: the URL (which proxies log) and the subprotocols. */
const opened: Array<{ url: string; protocols: unknown }> = [];

class RecordingWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    opened.push({ url: String(url), protocols });
  }
}

// y-webrtc's signaling connection uses the global WebSocket, which Node 20 lacks.
beforeAll(() => {
  vi.stubGlobal('WebSocket', WebSocket);
});

afterAll(() => {
  vi.unstubAllGlobals();
});

let relay: MeshpadRelay;
let databases = 0;
const sessions: DocSession[] = [];

const open = (docId: string, options: Partial<DocSessionOptions> = {}): DocSession => {
  const session = new DocSession({
    docId,
    relayUrl: relay.url,
    user: { name: 'Ada', colour: '#1670c9' },
    WebSocket: RecordingWebSocket,
    mesh: false,
    crossTab: false,
    localCopy: false,
    ...options,
  });
  sessions.push(session);
  return session;
};

/**
 * A signaling client of the relay subscribed to `topic` with `token`: it counts what mesh peers publish there, which
 * only peers whose signaling connection the relay accepted can do.
 */
const observeTopic = async (token: string, topic: string): Promise<{ published: () => number }> => {
  const socket = new WebSocket(`${relay.url.replace('http', 'ws')}/signal?token=${token}`);
  await once(socket, 'open');
  let published = 0;
  let subscribed = false;
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { type: string; topic?: string };
    if (message.type === 'pong') subscribed = true;
    if (message.type === 'publish' && message.topic === topic) published++;
  });
  socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
  // The relay handles a connection's messages in order: the pong says the subscription is in place.
  socket.send(JSON.stringify({ type: 'ping' }));
  await eventually(() => subscribed, 'the observer is subscribed');
  observers.push(socket);
  return { published: () => published };
};

const observers: WebSocket[] = [];

const inStep = (session: DocSession): Promise<void> =>
  eventually(() => session.status.connection === 'connected' && session.status.synced, 'session in step');

beforeEach(async () => {
  opened.length = 0;
  relay = await startMeshpadRelay('required');
});

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  for (const socket of observers.splice(0)) socket.close();
  await relay.stop();
});

describe('DocSession with access tokens (the Meshpad relay, tokens required)', () => {
  it('syncs with an edit token that travels in Sec-WebSocket-Protocol, never in the URL', async () => {
    const docId = newDocId();
    const tokens = await relay.createDoc(docId);
    const a = open(docId, { token: tokens.edit });
    const b = open(docId, { token: tokens.edit });
    await Promise.all([inStep(a), inStep(b)]);
    expect(a.status.access).toBe('edit');
    a.text.insert(0, 'Hello from a');
    await eventually(() => b.text.toString() === 'Hello from a', 'b gets the edit');
    await eventually(() => a.status.unsaved === 0, 'the relay confirms storing it');

    expect(opened).toHaveLength(2);
    for (const { url, protocols } of opened) {
      expect(url).toBe(`${relay.url.replace('http', 'ws')}/yjs/${docId}`);
      expect(url).not.toContain(tokens.edit);
      expect(protocols).toEqual(['meshpad', `meshpad-token.${tokens.edit}`]);
    }
  });

  it('is refused without a token, and says why', async () => {
    const session = open(newDocId());
    await eventually(() => session.status.relayClose !== undefined, 'the relay refuses');
    expect(session.status).toMatchObject({ access: 'none', connection: 'offline' });
    expect(session.status.relayClose).toMatchObject({ code: CloseCode.Unauthorized.code, permanent: true });
    expect(accessDenialOf(session.status.relayClose)).toBe(AccessDenial.TokenRequired);
  });

  it('shows a viewer live text and presence, keeps it out of the mesh, and never passes its edits on', async () => {
    const docId = newDocId();
    const tokens = await relay.createDoc(docId);
    const observer = await observeTopic(tokens.edit, meshRoomName(docId));
    const editor = open(docId, { token: tokens.edit, mesh: { wrtc }, crossTab: true });
    const viewer = open(docId, {
      token: tokens.view,
      mesh: { wrtc },
      crossTab: true,
      user: { name: 'Vic', colour: '#9540ea' },
    });
    const denials: string[] = [];
    viewer.on('permission-denied', (reason) => denials.push(reason));
    await Promise.all([inStep(editor), inStep(viewer)]);

    expect(viewer.status.access).toBe('view');
    expect(viewer.network.mesh).toBe('off');
    expect(viewer.meshRoom).toBeUndefined();
    expect(editor.network.mesh).toBe('on');
    expect(editor.meshRoom).toBe(meshRoomName(docId));
    // The editor signals with its token (in the URL: y-webrtc can put it nowhere else), and the relay accepts it.
    await eventually(() => observer.published() > 0, 'the editor announces itself in its mesh room');

    editor.text.insert(0, 'Live text');
    await eventually(() => viewer.text.toString() === 'Live text', 'the viewer gets the edit');
    await eventually(
      () => editor.presence.some((p) => !p.isSelf && p.name === 'Vic' && p.viewer),
      'the editor sees the viewer as a viewer',
    );
    expect(viewer.presence.find((p) => p.isSelf)?.viewer).toBe(true);
    expect(editor.presence.find((p) => p.isSelf)?.viewer).toBe(false);

    viewer.text.insert(0, 'Not allowed. ');
    // The relay handles a connection's messages in order: once the editor sees this awareness change, it would have
    // seen the edit before it.
    viewer.setUser({ name: 'Vic 2', colour: '#9540ea' });
    await eventually(() => editor.presence.some((p) => p.name === 'Vic 2'), 'the editor sees the new name');
    await eventually(() => denials.length > 0, 'the relay tells the viewer it dropped its updates');
    expect(editor.text.toString()).toBe('Live text');
    expect(viewer.text.toString()).toBe('Not allowed. Live text');
  });

  it('leaves the mesh when its link is revoked, and keeps its unsent edits in the document and the local copy', async () => {
    const docId = newDocId();
    const tokens = await relay.createDoc(docId);
    const session = open(docId, {
      token: tokens.edit,
      mesh: { wrtc },
      crossTab: true,
      localCopy: openLocalDatabase(`doc-session-access-${databases++}`),
    });
    await inStep(session);
    expect(session.meshRoom).toBe(meshRoomName(docId));

    await relay.rotate(docId, 'edit', tokens.owner);
    await eventually(() => session.status.relayClose !== undefined, 'the relay closes the revoked session');
    expect(session.status.relayClose).toMatchObject({ code: CloseCode.Forbidden.code, reason: 'link revoked' });
    expect(accessDenialOf(session.status.relayClose)).toBe(AccessDenial.Revoked);
    expect(session.network.mesh).toBe('off');
    expect(session.meshRoom).toBeUndefined();

    session.text.insert(0, 'Written after the revocation.');
    expect(session.status).toMatchObject({ connection: 'offline', unsaved: 1 });
    await session.flushLocalCopy();
    expect(session.hasChangesOnlyInMemory).toBe(false);
    expect(session.text.toString()).toBe('Written after the revocation.');
    expect(session.meshRoom).toBeUndefined();
  });

  it('moves an owner session to the new edit generation’s mesh when the edit link is rotated', async () => {
    const docId = newDocId();
    const tokens = await relay.createDoc(docId);
    const owner = open(docId, { token: tokens.owner, mesh: { wrtc, password: 'room-key' }, crossTab: true });
    const viewer = open(docId, { token: tokens.view, user: { name: 'Vic', colour: '#9540ea' } });
    const rotations: CapabilityGenerations[] = [];
    owner.on('rotated', (generations) => rotations.push(generations));
    await Promise.all([inStep(owner), inStep(viewer)]);
    await eventually(() => owner.status.unsaved === 0, 'the owner session has asked the relay to confirm a save');
    expect(owner.status.access).toBe('owner');
    expect(owner.meshRoom).toBe(meshRoomName(docId, 'room-key'));
    const nextRoom = await observeTopic(tokens.owner, meshRoomName(docId, 'room-key', 1));

    const newEdit = await relay.rotate(docId, 'edit', tokens.owner);
    await eventually(() => rotations.length === 1, 'the owner session hears of the rotation');
    expect(rotations[0]).toEqual({ view: 0, edit: 1, owner: 0 });
    expect(owner.meshRoom).toBe(meshRoomName(docId, 'room-key', 1));
    expect(owner.meshRoom?.endsWith('-g1')).toBe(true);
    expect(owner.network.mesh).toBe('on');
    expect(owner.status.connection).toBe('connected');
    await eventually(() => nextRoom.published() > 0, 'the owner announces itself in the new room');
    // Leaving the old room took the owner's awareness state away for a moment; it is back.
    await eventually(() => owner.presence.some((p) => p.isSelf && p.name === 'Ada'), 'the owner is present again');
    await eventually(() => viewer.presence.some((p) => p.name === 'Ada'), 'the viewer sees the owner again');

    // The new edit link names that generation, so its holders meet the owner in the same room.
    expect(parseAccessToken(newEdit)).toMatchObject({ scope: 'edit', gen: 1 });
  });
});
