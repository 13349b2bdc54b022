import {
  type BindingEvent,
  type ClockDriftError,
  type CrdtDecodeError,
  HybridLogicalClock,
  YLwwMap,
  YLwwRegister,
  YOrSet,
} from '@meshpad/crdt';
import { ObservableV2 } from 'lib0/observable';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { SessionAccess } from './access-token.js';
import type { ConnectionState } from './connection-state.js';
import { isDocId, newDocId } from './doc-id.js';
import type { RelayClose } from './relay-close.js';
import { RelayLink } from './relay-link.js';
import { readTitle, type WorkspaceDocument, workspaceDocuments } from './workspace-documents.js';
import { normaliseDocTitle, normaliseTag, normaliseWorkspaceName } from './workspace-labels.js';

/** Prefix of a workspace's room on the relay: a workspace is the Y.Doc of room `workspace/<workspaceId>`. */
export const WORKSPACE_ROOM_PREFIX = 'workspace/';

/** The relay room that holds workspace `workspaceId`. */
export const workspaceRoomName = (workspaceId: string): string => `${WORKSPACE_ROOM_PREFIX}${workspaceId}`;

/** Names of the Y.Maps of a workspace's Y.Doc, one per CRDT (see README, "Workspaces"). */
export const WORKSPACE_MAPS = {
  /** OR-Set of document ids. */
  documents: 'meshpad:documents',
  /** LWW-Map from document id to title. */
  titles: 'meshpad:titles',
  /** OR-Set of `[documentId, tag]` pairs. */
  tags: 'meshpad:tags',
  /** LWW-Register holding the workspace's name. */
  name: 'meshpad:name',
} as const;

/** Where a workspace session stands. A new object is emitted whenever a field changes. */
export interface WorkspaceStatus {
  readonly connection: ConnectionState;
  /** The relay has sent its whole workspace over the current connection. */
  readonly synced: boolean;
  /** The workspace has been received from the relay at least once. Never goes back to false. */
  readonly loaded: boolean;
  /** How the relay last closed the connection, kept until the session is connected and synced again. */
  readonly relayClose: RelayClose | undefined;
  /** What the session's token allows, or `none` without one (see `SessionStatus.access`). */
  readonly access: SessionAccess;
}

/** Data in the workspace that this session cannot use: undecodable bytes, or timestamps too far in the future. */
export interface WorkspaceProblem {
  /** The replica (another session) whose data it is. */
  readonly replica: string;
  readonly error: CrdtDecodeError | ClockDriftError;
}

export interface WorkspaceSessionOptions {
  /** A workspace id, made like document ids by `newDocId`. */
  readonly workspaceId: string;
  /** Base URL of the relay; the session connects to `<relayUrl>/yjs/workspace/<workspaceId>`. */
  readonly relayUrl: string;
  /** A WebSocket implementation for runtimes without a global one (Node 20). */
  readonly WebSocket?: unknown;
  /** Also sync with other tabs of this browser over BroadcastChannel (default true). */
  readonly crossTab?: boolean;
  /** Physical time for the clock that orders titles (default `Date.now`); for tests. */
  readonly now?: () => number;
  /** The access token of the workspace's link, sent as for documents (`DocSessionOptions.token`). */
  readonly token?: string;
}

export type WorkspaceSessionEvents = {
  status: (status: WorkspaceStatus) => void;
  /** The document list, a title or a tag changed (here or elsewhere). */
  documents: (documents: readonly WorkspaceDocument[]) => void;
  /** The workspace's name changed. */
  name: (name: string | undefined) => void;
  problem: (problem: WorkspaceProblem) => void;
};

/**
 * One open workspace: a shared list of documents with titles and tags, kept in a Y.Doc synced through the relay.
 * The list is an add-wins OR-Set of document ids, titles an LWW-Map ordered by a hybrid logical clock, tags an OR-Set
 * of `[documentId, tag]` pairs, and the name an LWW-Register (all from `@meshpad/crdt`).
 *
 * Every edit of a document's entry (title, tags) also adds its id again, so an edit made concurrently with a removal
 * keeps the document in the list: add wins. Removing a document keeps its title and tags, so undoing the removal (or a
 * concurrent re-add) brings them back. {@link WorkspaceSession.destroy} closes the connection.
 */
export class WorkspaceSession extends ObservableV2<WorkspaceSessionEvents> {
  readonly workspaceId: string;
  readonly doc: Y.Doc;
  private readonly link: RelayLink<WorkspaceStatus>;
  private readonly awareness: Awareness;
  private readonly documentSet: YOrSet;
  private readonly titles: YLwwMap;
  private readonly tagSet: YOrSet;
  private readonly nameRegister: YLwwRegister;
  private currentDocuments: readonly WorkspaceDocument[] = [];
  private isDestroyed = false;

  constructor(options: WorkspaceSessionOptions) {
    super();
    if (!isDocId(options.workspaceId)) {
      throw new RangeError(`Invalid workspace id "${options.workspaceId}": expected 22 base64url characters`);
    }
    this.workspaceId = options.workspaceId;
    this.doc = new Y.Doc();
    // One clock for both last-writer-wins types: they belong to the same replica.
    const clock = new HybridLogicalClock(this.doc.clientID.toString(36), options.now ? { now: options.now } : {});
    this.documentSet = new YOrSet(this.doc.getMap(WORKSPACE_MAPS.documents));
    this.titles = new YLwwMap(this.doc.getMap(WORKSPACE_MAPS.titles), { clock });
    this.tagSet = new YOrSet(this.doc.getMap(WORKSPACE_MAPS.tags));
    this.nameRegister = new YLwwRegister(this.doc.getMap(WORKSPACE_MAPS.name), { clock });
    for (const binding of [this.documentSet, this.titles, this.tagSet]) binding.observe(this.onListChange);
    this.nameRegister.observe(this.onNameChange);
    // Nobody is "present" in a workspace: with no local state the provider sends no awareness. Made here, not by the
    // provider, because the provider would not release its timer.
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.link = new RelayLink<WorkspaceStatus>({
      relayUrl: options.relayUrl,
      room: workspaceRoomName(options.workspaceId),
      doc: this.doc,
      awareness: this.awareness,
      token: options.token,
      WebSocket: options.WebSocket,
      disableBc: options.crossTab === false,
      initial: { connection: 'connecting', synced: false, loaded: false, relayClose: undefined },
      onStatus: (status) => this.emit('status', [status]),
    });
  }

  /** The current status; see {@link WorkspaceStatus}. */
  get status(): WorkspaceStatus {
    return this.link.status;
  }

  /** The documents in the workspace, ordered by id. */
  get documents(): readonly WorkspaceDocument[] {
    return this.currentDocuments;
  }

  /** The workspace's name, or `undefined` while nobody has named it. */
  get name(): string | undefined {
    const value = this.nameRegister.value;
    if (typeof value !== 'string') return undefined;
    const name = normaliseWorkspaceName(value);
    return name === '' ? undefined : name;
  }

  get destroyed(): boolean {
    return this.isDestroyed;
  }

  /** Whether document `docId` is in the workspace. */
  has(docId: string): boolean {
    return this.documentSet.has(docId);
  }

  /** The title given to document `docId` (also while it is removed), or `undefined` when it has none. */
  titleOf(docId: string): string | undefined {
    return readTitle(this.titles.get(docId));
  }

  /** Adds a new document, with `title` if it is not blank, and returns its id. */
  createDocument(title = ''): string {
    const docId = newDocId();
    this.documentSet.add(docId);
    const clean = normaliseDocTitle(title);
    if (clean !== '') this.titles.set(docId, clean);
    return docId;
  }

  /** Adds document `docId` (again): its earlier title and tags come back with it. */
  addDocument(docId: string): void {
    this.documentSet.add(checkDocId(docId));
  }

  /** Removes document `docId` from the list as this session has seen it; a concurrent add or edit keeps it. */
  removeDocument(docId: string): void {
    this.documentSet.remove(checkDocId(docId));
  }

  /**
   * Gives document `docId` a title; a blank one removes the title, so the document's first line is shown again.
   * Keeps (or puts back) the document in the list.
   */
  setTitle(docId: string, title: string): void {
    checkDocId(docId);
    const clean = normaliseDocTitle(title);
    if (this.titleOf(docId) === (clean === '' ? undefined : clean) && this.has(docId)) return;
    this.documentSet.add(docId);
    if (clean === '') {
      if (this.titles.has(docId)) this.titles.delete(docId);
    } else {
      this.titles.set(docId, clean);
    }
  }

  /** Tags document `docId` with `tag` (cleaned; a blank tag is a `RangeError`), keeping it in the list. */
  addTag(docId: string, tag: string): void {
    checkDocId(docId);
    const clean = normaliseTag(tag);
    if (clean === '') throw new RangeError('A tag needs at least one visible character');
    this.documentSet.add(docId);
    this.tagSet.add([docId, clean]);
  }

  /** Removes `tag` from document `docId` as this session has seen it; a concurrent add of the same tag wins. */
  removeTag(docId: string, tag: string): void {
    checkDocId(docId);
    const pair = [docId, normaliseTag(tag)];
    if (!this.tagSet.has(pair)) return;
    this.documentSet.add(docId);
    this.tagSet.remove(pair);
  }

  /** Names the workspace; a blank name removes the name. */
  setName(name: string): void {
    const clean = normaliseWorkspaceName(name);
    if (clean === (this.name ?? '')) return;
    this.nameRegister.set(clean);
  }

  /**
   * Resolves once the workspace has loaded from the relay (see {@link WorkspaceStatus.loaded}); rejects with a
   * {@link SessionDestroyedError} if the session is destroyed first.
   */
  whenSynced(): Promise<void> {
    return this.link.whenLoaded();
  }

  /** Presents `token` from now on and reconnects with it (also after the relay refused the previous one). */
  setToken(token: string | undefined): void {
    if (!this.isDestroyed) this.link.setToken(token);
  }

  /** Closes the connection and releases the document. The workspace stays on the relay. */
  override destroy(): void {
    if (this.isDestroyed) return;
    this.isDestroyed = true;
    for (const binding of [this.documentSet, this.titles, this.tagSet, this.nameRegister]) binding.destroy();
    this.link.destroy();
    this.awareness.destroy();
    this.doc.destroy();
    super.destroy();
  }

  private readonly onListChange = (event: BindingEvent<unknown>): void => {
    if (event.type === 'rejected') {
      this.emit('problem', [{ replica: event.replica, error: event.error }]);
      return;
    }
    this.currentDocuments = workspaceDocuments(
      this.documentSet.values(),
      (id) => this.titles.get(id),
      this.tagSet.values(),
    );
    this.emit('documents', [this.currentDocuments]);
  };

  private readonly onNameChange = (event: BindingEvent<unknown>): void => {
    if (event.type === 'rejected') this.emit('problem', [{ replica: event.replica, error: event.error }]);
    else this.emit('name', [this.name]);
  };
}

const checkDocId = (docId: string): string => {
  if (!isDocId(docId)) throw new RangeError(`Invalid document id "${docId}": expected 22 base64url characters`);
  return docId;
};
