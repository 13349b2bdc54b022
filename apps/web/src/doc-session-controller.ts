import {
  DocSession,
  type Identity,
  type KeyValueStorage,
  loadIdentity,
  type NetworkStatus,
  type Presence,
  type SessionStatus,
  saveDisplayName,
} from '@meshpad/client';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { DeferredStart } from './deferred-start.js';
import { iceServers } from './mesh-config.js';

export interface DocSessionControllerOptions {
  readonly docId: string;
  readonly relayUrl: string;
  readonly storage: KeyValueStorage;
  /** The room key from the link, the password of the document's peer-to-peer mesh. */
  readonly roomKey?: string | undefined;
  /** The access token the session presents to the relay (doc-access.ts `sessionToken`), if this browser holds one. */
  readonly token?: string | undefined;
  /** For an owner: the generation of the edit link this browser holds, whose mesh the session joins. */
  readonly editGeneration?: number | undefined;
  /**
   * Settles when the session may start: a document created here is registered first (briefly), so that its first
   * connection presents the owner's token rather than being refused.
   */
  readonly ready?: Promise<unknown> | undefined;
}

/**
 * Gives an element a live document: opens a {@link DocSession} when the element connects, re-renders it on every
 * status and presence change, and destroys the session when the element disconnects.
 */
export class DocSessionController implements ReactiveController {
  session: DocSession | undefined;
  status: SessionStatus = {
    connection: 'connecting',
    synced: false,
    loaded: false,
    unsaved: 0,
    localCopy: { state: 'loading' },
    relayClose: undefined,
    access: 'none',
  };
  presence: readonly Presence[] = [];
  network: NetworkStatus = { mesh: 'off', relay: false, directConnections: 0, routes: new Map() };
  identity: Identity | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: () => DocSessionControllerOptions,
  ) {
    host.addController(this);
  }

  private readonly deferred = new DeferredStart();

  hostConnected(): void {
    this.deferred.run(this.options().ready, () => this.start());
  }

  private start(): void {
    const { docId, relayUrl, storage, roomKey, token, editGeneration } = this.options();
    const identity = loadIdentity(storage);
    const session = new DocSession({
      docId,
      relayUrl,
      user: identity,
      mesh: { password: roomKey, iceServers: iceServers() },
      ...(token === undefined ? {} : { token }),
      ...(editGeneration === undefined ? {} : { editGeneration }),
    });
    session.on('status', this.onStatus);
    session.on('presence', this.onPresence);
    session.on('network', this.onNetwork);
    this.identity = identity;
    this.session = session;
    this.status = session.status;
    this.presence = session.presence;
    this.network = session.network;
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.deferred.cancel();
    const session = this.session;
    if (session === undefined) return;
    session.off('status', this.onStatus);
    session.off('presence', this.onPresence);
    session.off('network', this.onNetwork);
    session.destroy();
    this.session = undefined;
  }

  /** Closes the session and opens a new one with the current options, e.g. after the room key changed. */
  restart(): void {
    this.hostDisconnected();
    this.hostConnected();
  }

  /** Remembers a new display name and shows it to everyone in the document. */
  rename(name: string): void {
    const identity = saveDisplayName(this.options().storage, name);
    this.identity = identity;
    this.session?.setUser(identity);
    this.host.requestUpdate();
  }

  private readonly onStatus = (status: SessionStatus): void => {
    this.status = status;
    this.host.requestUpdate();
  };

  private readonly onPresence = (presence: readonly Presence[]): void => {
    this.presence = presence;
    this.host.requestUpdate();
  };

  private readonly onNetwork = (network: NetworkStatus): void => {
    this.network = network;
    this.host.requestUpdate();
  };
}
