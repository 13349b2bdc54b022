import 'fake-indexeddb/auto';
import { CloseCode } from '@meshpad/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { eventually } from '../test/eventually.js';
import { type SaveRelay, startSaveRelay } from '../test/save-relay.js';
import { newDocId } from './doc-id.js';
import { DocSession } from './doc-session.js';
import { openLocalDatabase } from './local-database.js';
import { WorkspaceSession } from './workspace-session.js';

let relay: SaveRelay;
let databases = 0;
const sessions: Array<DocSession | WorkspaceSession> = [];

/** A session with a local copy, connected and in step with the relay. */
const openInStep = async (docId = newDocId()): Promise<DocSession> => {
  const session = new DocSession({
    docId,
    relayUrl: relay.url,
    user: { name: 'Ada', colour: '#1670c9' },
    WebSocket,
    crossTab: false,
    mesh: false,
    localCopy: openLocalDatabase(`doc-session-relay-close-${databases++}`),
  });
  sessions.push(session);
  await eventually(() => session.status.connection === 'connected' && session.status.synced, 'session in step');
  return session;
};

/** Longer than y-websocket's first reconnect delays (200 and 400 ms), for checking that no attempt comes. */
const RECONNECT_WINDOW_MS = 1_000;

beforeEach(async () => {
  relay = await startSaveRelay();
});

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await relay.stop();
});

describe('a session closed by the relay', () => {
  it('stops on a permanent close, says which, and keeps the refused edit in this browser', async () => {
    const session = await openInStep();
    const { code } = CloseCode.InvalidUpdate;
    relay.refuseUpdates({ code, reason: 'closing connection: update does not integrate' });
    session.text.insert(0, 'Refused by the relay.');
    await eventually(() => session.status.relayClose !== undefined, 'the session reports the close');
    expect(session.status).toMatchObject({
      connection: 'offline',
      unsaved: 1,
      localCopy: { state: 'ready' },
      relayClose: {
        code,
        reason: 'closing connection: update does not integrate',
        name: 'InvalidUpdate',
        permanent: true,
      },
    });

    const connections = relay.connections;
    relay.refuseUpdates(undefined);
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_WINDOW_MS));
    expect(relay.connections).toBe(connections);
    expect(session.status.connection).toBe('offline');
    await session.flushLocalCopy();
    expect(session.hasChangesOnlyInMemory).toBe(false);
    expect(session.text.toString()).toBe('Refused by the relay.');
  });

  it('keeps saying the document is too large while the relay refuses on every reconnect, until it takes the edit', async () => {
    const session = await openInStep();
    const docId = session.docId;
    relay.refuseUpdates({ code: CloseCode.DocumentTooLarge.code, reason: 'document over its size limit' });
    session.text.insert(0, 'One edit too many.');
    await eventually(() => session.status.relayClose?.name === 'DocumentTooLarge', 'the session reports the limit');
    const refused = session.status.relayClose;
    expect(refused?.permanent).toBe(false);

    const connections = relay.connections;
    await eventually(() => relay.connections >= connections + 2, 'the session reconnects and is refused again');
    expect(session.status.relayClose).toBe(refused);
    expect(session.status.unsaved).toBe(1);

    relay.refuseUpdates(undefined);
    await eventually(() => session.status.unsaved === 0, 'the relay takes the edit once there is room');
    expect(session.status).toMatchObject({ connection: 'connected', synced: true, relayClose: undefined });
    expect(relay.storedText(docId)).toBe('One edit too many.');
  });

  it('reconnects after a transient close and forgets it once back in step', async () => {
    const session = await openInStep();
    relay.closeAll(CloseCode.GoingAway.code, 'relay shutting down');
    await eventually(() => session.status.relayClose?.name === 'GoingAway', 'the session reports the close');
    expect(session.status).toMatchObject({ connection: 'offline', relayClose: { permanent: false } });
    await eventually(() => session.status.connection === 'connected', 'the session reconnects');
    await eventually(() => session.status.relayClose === undefined, 'the close is forgotten once in step');
  });

  it('reports a workspace’s close too', async () => {
    const workspace = new WorkspaceSession({
      workspaceId: newDocId(),
      relayUrl: relay.url,
      WebSocket,
      crossTab: false,
    });
    sessions.push(workspace);
    await eventually(() => workspace.status.synced, 'workspace in step');
    relay.closeAll(CloseCode.Forbidden.code, 'Forbidden');
    await eventually(() => workspace.status.relayClose !== undefined, 'the workspace reports the close');
    expect(workspace.status).toMatchObject({
      connection: 'offline',
      relayClose: { code: CloseCode.Forbidden.code, name: 'Forbidden', permanent: true },
    });
  });
});
