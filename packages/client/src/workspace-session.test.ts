import { CrdtDecodeError } from '@meshpad/crdt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { eventually } from '../test/eventually.js';
import { type ReferenceRelay, startReferenceRelay } from '../test/reference-relay.js';
import { noTimersPending } from '../test/timeouts.js';
import { newDocId } from './doc-id.js';
import { SessionDestroyedError } from './session-destroyed-error.js';
import type { WorkspaceDocument } from './workspace-documents.js';
import {
  WORKSPACE_MAPS,
  type WorkspaceProblem,
  WorkspaceSession,
  type WorkspaceStatus,
  workspaceRoomName,
} from './workspace-session.js';

let relay: ReferenceRelay;
const sessions: WorkspaceSession[] = [];

const open = (workspaceId: string, now?: () => number): WorkspaceSession => {
  // crossTab: false, because sessions in one process would otherwise sync over BroadcastChannel, bypassing the relay.
  const session = new WorkspaceSession({
    workspaceId,
    relayUrl: relay.url,
    WebSocket,
    crossTab: false,
    ...(now === undefined ? {} : { now }),
  });
  sessions.push(session);
  return session;
};

const openPair = async (now?: [() => number, () => number]): Promise<[WorkspaceSession, WorkspaceSession]> => {
  const workspaceId = newDocId();
  const a = open(workspaceId, now?.[0]);
  const b = open(workspaceId, now?.[1]);
  await Promise.all([a.whenSynced(), b.whenSynced()]);
  return [a, b];
};

const entry = (session: WorkspaceSession, docId: string): WorkspaceDocument | undefined =>
  session.documents.find((doc) => doc.id === docId);
const connected = (session: WorkspaceSession): boolean => session.status.connection === 'connected';

/** Stops the relay, waits until both sessions notice, runs `offline`, then brings the relay back on the same port. */
const whileRelayDown = async (a: WorkspaceSession, b: WorkspaceSession, offline: () => void): Promise<void> => {
  await relay.stop();
  await eventually(() => !connected(a) && !connected(b), 'both sessions notice that the relay is gone');
  offline();
  relay = await startReferenceRelay(relay.port);
  await eventually(() => a.status.synced && b.status.synced, 'both sessions are back in sync', 15_000);
};

beforeEach(async () => {
  relay = await startReferenceRelay();
});

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await relay.stop();
});

describe('WorkspaceSession against a stock y-websocket server', () => {
  it('connects to the workspace room, loads and reports each status change', async () => {
    const session = open(newDocId());
    const seen: WorkspaceStatus[] = [];
    session.on('status', (status) => seen.push(status));
    expect(session.status).toEqual({
      connection: 'connecting',
      synced: false,
      loaded: false,
      relayClose: undefined,
      access: 'none',
    });
    await session.whenSynced();
    expect(session.status).toEqual({
      connection: 'connected',
      synced: true,
      loaded: true,
      relayClose: undefined,
      access: 'none',
    });
    expect(seen.at(-1)).toEqual(session.status);
    expect(workspaceRoomName(session.workspaceId)).toBe(`workspace/${session.workspaceId}`);
  });

  it('shares created documents, titles and the name with everyone in the workspace, and nobody else', async () => {
    const [a, b] = await openPair();
    const other = open(newDocId());
    await other.whenSynced();
    const lists: Array<readonly WorkspaceDocument[]> = [];
    b.on('documents', (documents) => lists.push(documents));
    const names: Array<string | undefined> = [];
    b.on('name', (name) => names.push(name));

    const plan = a.createDocument('  Plan \n for Monday ');
    const untitled = a.createDocument();
    a.setName('Team notes');

    await eventually(() => b.documents.length === 2 && b.name === 'Team notes', 'b sees both documents and the name');
    expect(entry(b, plan)).toEqual({ id: plan, title: 'Plan for Monday', tags: [] });
    expect(entry(b, untitled)).toEqual({ id: untitled, title: undefined, tags: [] });
    expect(b.documents).toEqual(a.documents);
    expect(lists.at(-1)).toEqual(b.documents);
    expect(names).toEqual(['Team notes']);
    expect(other.documents).toEqual([]);
    expect(other.name).toBeUndefined();

    // A late joiner gets it all by the time it has loaded.
    const late = open(a.workspaceId);
    await late.whenSynced();
    expect(late.documents).toEqual(a.documents);
    expect(late.name).toBe('Team notes');
  });

  it('renames: concurrent titles converge on the latest by the hybrid logical clock, a blank one unsets it', async () => {
    // b's clock runs 5 s ahead of a's (within the drift bound): its concurrent title wins although a writes later.
    const [a, b] = await openPair([() => Date.now(), () => Date.now() + 5_000]);
    const docId = a.createDocument('First');
    await eventually(() => b.has(docId), 'b sees the document');

    b.setTitle(docId, 'From b');
    a.setTitle(docId, 'From a');
    await eventually(() => a.titleOf(docId) === 'From b' && b.titleOf(docId) === 'From b', 'both end with b’s title');

    // Having seen b's write, a's clock moved past it: a's next title wins even though a's wall clock is behind.
    a.setTitle(docId, 'Later from a');
    await eventually(() => b.titleOf(docId) === 'Later from a', 'b takes a’s later title');

    b.setTitle(docId, '   ');
    await eventually(() => a.titleOf(docId) === undefined, 'a sees the title removed');
    expect(entry(a, docId)?.title).toBeUndefined();
  });

  it('removes a document for everyone, and undoing the removal brings back its title and tags', async () => {
    const [a, b] = await openPair();
    const docId = a.createDocument('Draft');
    a.addTag(docId, 'later');
    await eventually(() => entry(b, docId)?.tags.length === 1, 'b sees the tagged document');

    b.removeDocument(docId);
    await eventually(() => !a.has(docId), 'a sees the removal');
    expect(a.documents).toEqual([]);
    expect(a.titleOf(docId)).toBe('Draft');

    a.addDocument(docId);
    await eventually(() => b.has(docId), 'b sees it again');
    expect(entry(b, docId)).toEqual({ id: docId, title: 'Draft', tags: ['later'] });
  });

  it('add wins: a document removed on one side while renamed, tagged or re-added on the other stays', async () => {
    const [a, b] = await openPair();
    const renamed = a.createDocument('Renamed while removed');
    const tagged = a.createDocument('Tagged while removed');
    const readded = a.createDocument('Re-added while removed');
    const dropped = a.createDocument('Only removed');
    await eventually(() => b.documents.length === 4, 'b sees the four documents');

    await whileRelayDown(a, b, () => {
      for (const docId of [renamed, tagged, readded, dropped]) a.removeDocument(docId);
      b.setTitle(renamed, 'New name');
      b.addTag(tagged, 'keep');
      b.addDocument(readded);
      expect(a.documents).toEqual([]);
    });

    const expected = [
      { id: renamed, title: 'New name', tags: [] },
      { id: tagged, title: 'Tagged while removed', tags: ['keep'] },
      { id: readded, title: 'Re-added while removed', tags: [] },
    ].sort((x, y) => (x.id < y.id ? -1 : 1));
    await eventually(() => a.documents.length === 3 && b.documents.length === 3, 'both list the three kept documents');
    expect(a.documents).toEqual(expected);
    expect(b.documents).toEqual(expected);
  });

  it('tags: added and removed for everyone; a concurrent add of a removed tag wins', async () => {
    const [a, b] = await openPair();
    const docId = a.createDocument('Tagged');
    a.addTag(docId, '  work ');
    a.addTag(docId, 'urgent');
    a.addTag(docId, 'draft');
    await eventually(() => entry(b, docId)?.tags.length === 3, 'b sees three tags');
    expect(entry(b, docId)?.tags).toEqual(['draft', 'urgent', 'work']);

    b.removeTag(docId, 'draft');
    await eventually(() => entry(a, docId)?.tags.length === 2, 'a sees the tag removed');

    await whileRelayDown(a, b, () => {
      a.removeTag(docId, 'urgent');
      b.addTag(docId, 'urgent');
      b.removeTag(docId, 'work');
    });
    await eventually(
      () => entry(a, docId)?.tags.join() === 'urgent' && entry(b, docId)?.tags.join() === 'urgent',
      'both keep only the re-added tag',
    );
    expect(() => a.addTag(docId, ' \u0000 ')).toThrow(RangeError);
  });

  it('reports data it cannot use as a problem, and keeps working', async () => {
    const [a, b] = await openPair();
    const problems: WorkspaceProblem[] = [];
    a.on('problem', (problem) => problems.push(problem));
    // What a buggy or hostile client could write into the shared document.
    const slot = new Y.Array<Uint8Array>();
    slot.insert(0, [new Uint8Array([9, 9, 9])]);
    b.doc.getMap(WORKSPACE_MAPS.titles).set('intruder', slot);
    await eventually(() => problems.length > 0, 'a reports the bytes it cannot decode');
    expect(problems[0]).toMatchObject({ replica: 'intruder' });
    expect(problems[0]?.error).toBeInstanceOf(CrdtDecodeError);

    const docId = b.createDocument('Still works');
    await eventually(() => a.titleOf(docId) === 'Still works', 'a still follows b');
  });

  it('refuses ids that are not document ids', () => {
    expect(() => open('workspace-1')).toThrow(RangeError);
    const session = open(newDocId());
    expect(() => session.addDocument('../etc')).toThrow(RangeError);
    expect(() => session.setTitle('short', 'x')).toThrow(RangeError);
  });
});

describe('WorkspaceSession.destroy', () => {
  it('closes the connection and releases every timer', async () => {
    await noTimersPending('the timers of earlier tests have fired');
    const session = open(newDocId());
    await session.whenSynced();
    const events: string[] = [];
    session.on('status', () => events.push('status'));
    session.on('documents', () => events.push('documents'));
    session.destroy();
    session.destroy();

    expect(session.destroyed).toBe(true);
    expect(session.status.connection).toBe('offline');
    expect(session.doc.isDestroyed).toBe(true);
    expect(events).toEqual([]);
    expect(() => session.createDocument('late')).toThrow(/destroyed/);
    // The provider's last reconnect timer fires as a no-op within its backoff (at most 2.5 s).
    await noTimersPending('every timer is released');
  });

  it('rejects a pending whenSynced with SessionDestroyedError', async () => {
    const port = relay.port;
    await relay.stop();
    const session = open(newDocId());
    const pending = session.whenSynced();
    session.destroy();
    await expect(pending).rejects.toBeInstanceOf(SessionDestroyedError);
    relay = await startReferenceRelay(port);
  });
});
