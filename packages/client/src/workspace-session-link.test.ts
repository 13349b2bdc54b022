import { AccessDenial } from '@meshpad/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { eventually } from '../test/eventually.js';
import { type MeshpadRelay, startMeshpadRelay } from '../test/meshpad-relay.js';
import { type SaveRelay, startSaveRelay } from '../test/save-relay.js';
import { newDocId } from './doc-id.js';
import { accessDenialOf } from './relay-close.js';
import { WorkspaceSession, type WorkspaceSessionOptions, workspaceRoomName } from './workspace-session.js';

let stops: Array<() => Promise<void>> = [];
const sessions: WorkspaceSession[] = [];

const open = (options: Partial<WorkspaceSessionOptions> & { relayUrl: string }): WorkspaceSession => {
  const session = new WorkspaceSession({ workspaceId: newDocId(), WebSocket, crossTab: false, ...options });
  sessions.push(session);
  return session;
};

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  for (const stop of stops) await stop();
  stops = [];
  vi.unstubAllGlobals();
});

describe('WorkspaceSession’s relay link', () => {
  it('reconnects as soon as the browser is back online, not after the backoff', async () => {
    // The browser's `online` events: Node has no window.
    const browser = new EventTarget();
    vi.stubGlobal('window', browser);
    const relay: SaveRelay = await startSaveRelay();
    stops.push(() => relay.stop());
    // Every connection attempt makes a socket.
    const sockets: WebSocket[] = [];
    class CountedWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    }
    const workspace = open({ relayUrl: relay.url, WebSocket: CountedWebSocket });
    await workspace.whenSynced();

    await relay.crash();
    // After the crash and four failed attempts (200, 400, 800 and 1,600 ms apart), y-websocket waits 2.5 s.
    await eventually(
      () => sockets.length === 5 && sockets[4]?.readyState === WebSocket.CLOSED,
      'the workspace tries four times and waits',
    );
    await relay.restart();
    browser.dispatchEvent(new Event('online'));
    expect(sockets).toHaveLength(6);
    const back = Date.now();
    await eventually(() => workspace.status.synced, 'the workspace is back in step', 2_000);
    expect(Date.now() - back).toBeLessThan(2_000);
  });

  it('presents its token, and is refused without one', async () => {
    const relay: MeshpadRelay = await startMeshpadRelay('required');
    stops.push(() => relay.stop());
    const workspaceId = newDocId();
    const tokens = await relay.createDoc(workspaceRoomName(workspaceId));
    const a = open({ relayUrl: relay.url, workspaceId, token: tokens.edit });
    const b = open({ relayUrl: relay.url, workspaceId, token: tokens.edit });
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    expect(a.status.access).toBe('edit');
    const docId = a.createDocument('Shared');
    await eventually(() => b.titleOf(docId) === 'Shared', 'b gets the new document');

    const stranger = open({ relayUrl: relay.url, workspaceId });
    await eventually(() => stranger.status.relayClose !== undefined, 'the relay refuses the stranger');
    expect(accessDenialOf(stranger.status.relayClose)).toBe(AccessDenial.TokenRequired);
    stranger.setToken(tokens.view);
    await stranger.whenSynced();
    expect(stranger.status).toMatchObject({ access: 'view', relayClose: undefined });
    expect(stranger.has(docId)).toBe(true);
  });
});
