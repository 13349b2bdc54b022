import { decodeCapabilitiesRotated, MessageType, tokenSubprotocols } from '@meshpad/protocol';
import { ObservableV2 } from 'lib0/observable';
import { readAuthMessage } from 'y-protocols/auth';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { type SessionAccess, sessionAccess } from './access-token.js';
import { reconnectWhenOnline } from './reconnect-when-online.js';
import { relaySocketUrl } from './relay-url.js';
import { connectedAndSynced, type RelayStatus, StatusTracker } from './status-tracker.js';

/** The generations of a room's capabilities after one was rotated (PROTOCOL.md, "Revocation"). */
export interface CapabilityGenerations {
  readonly view: number;
  readonly edit: number;
  readonly owner: number;
}

/** The part of a session's status that its relay link drives. */
export interface LinkStatus extends RelayStatus {
  /** What the session's token allows; `none` without one (the relay is open, or refuses). */
  readonly access: SessionAccess;
}

export interface RelayLinkOptions<S extends LinkStatus> {
  /** Base URL of the relay; the link connects to `<relayUrl>/yjs/<room>`. */
  readonly relayUrl: string;
  readonly room: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  /** Presented in `Sec-WebSocket-Protocol` (never in the URL, which proxies log). */
  readonly token?: string | undefined;
  /** A WebSocket implementation for runtimes without a global one (Node 20). */
  readonly WebSocket?: unknown;
  /** Keep y-websocket's BroadcastChannel off. */
  readonly disableBc: boolean;
  /** Connect at once (default), or only on {@link RelayLink.connect}. */
  readonly connect?: boolean;
  /** The status before anything happened; `access` comes from the token. */
  readonly initial: Omit<S, 'access'>;
  readonly onStatus: (status: S) => void;
  /** When the status is back in step with the relay, which forgets the relay's last close (default connected and synced). */
  readonly inStep?: (status: S) => boolean;
  /** Runs when the relay has sent its whole document, before the status reports it. */
  readonly onSynced?: () => void;
}

export type RelayLinkEvents = {
  /** The relay says a capability of the room was rotated; this connection's token is still current. */
  rotated: (generations: CapabilityGenerations) => void;
  /** The relay dropped an update this connection sent (a view token): y-protocols' permission-denied message. */
  'permission-denied': (reason: string) => void;
};

/**
 * A session's connection to its relay room: the y-websocket provider with the session's token, its status, a
 * reconnect as soon as the browser is back online, and Meshpad's access messages (capabilities rotated,
 * permission denied). {@link RelayLink.setToken} reconnects with another token.
 */
export class RelayLink<S extends LinkStatus> extends ObservableV2<RelayLinkEvents> {
  readonly provider: WebsocketProvider;
  private readonly tracker: StatusTracker<S>;
  private readonly stopReconnectingWhenOnline: () => void;
  private currentToken: string | undefined;
  /** Whether {@link RelayLink.connect} was called or the link connected at once: a new token reconnects only then. */
  private started: boolean;

  constructor(options: RelayLinkOptions<S>) {
    super();
    this.currentToken = options.token;
    this.started = options.connect ?? true;
    this.provider = new WebsocketProvider(relaySocketUrl(options.relayUrl), options.room, options.doc, {
      connect: this.started,
      awareness: options.awareness,
      disableBc: options.disableBc,
      protocols: protocolsFor(options.token),
      ...(options.WebSocket === undefined ? {} : { WebSocketPolyfill: options.WebSocket as typeof WebSocket }),
    });
    // y-websocket indexes its handlers by message type, and reads each frame's type before calling one.
    this.provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) =>
      readAuthMessage(decoder, options.doc, (_doc, reason) => this.emit('permission-denied', [reason]));
    this.provider.messageHandlers[MessageType.CapabilitiesRotated] = (_encoder, decoder, _provider, fromSocket) => {
      // Only the relay sends it; the same frame from another tab (over BroadcastChannel) is not news.
      if (!fromSocket) return;
      const generations = decodeCapabilitiesRotated(decoder.arr);
      if (generations !== undefined) this.emit('rotated', [generations]);
    };
    const onSynced = options.onSynced;
    // Before the status tracker's listener, so that whatever it does is done before anyone hears of the sync.
    if (onSynced !== undefined) this.provider.on('sync', (synced: boolean) => synced && onSynced());
    this.tracker = new StatusTracker<S>(
      this.provider,
      options.room,
      { ...options.initial, access: sessionAccess(options.token) } as S,
      options.onStatus,
      options.inStep ?? connectedAndSynced,
    );
    this.stopReconnectingWhenOnline = reconnectWhenOnline(this.provider);
  }

  get status(): S {
    return this.tracker.current;
  }

  /** The token the link presents, if any. */
  get token(): string | undefined {
    return this.currentToken;
  }

  /** Whether the socket to the relay is open. */
  get connected(): boolean {
    return this.provider.wsconnected;
  }

  /** Changes the status fields in `change` that the session drives; reports the status if one differs. */
  update(change: Partial<S>): void {
    this.tracker.update(change);
  }

  /** Resolves once the status is loaded; rejects with a `SessionDestroyedError` if the link is destroyed first. */
  whenLoaded(): Promise<void> {
    return this.tracker.whenLoaded();
  }

  /** Connects, if the link was made with `connect: false` and has not connected yet. */
  connect(): void {
    this.started = true;
    if (!this.provider.shouldConnect) this.provider.connect();
  }

  /**
   * Presents `token` (or none) from now on, and reconnects with it if the link has started: also after the relay
   * refused the previous token for good.
   */
  setToken(token: string | undefined): void {
    this.currentToken = token;
    this.provider.protocols = protocolsFor(token);
    this.tracker.update({ access: sessionAccess(token) } as Partial<S>);
    if (!this.started) return;
    this.provider.disconnect();
    this.provider.connect();
  }

  /** Stops following the provider, then closes the connection (announcing the local client's departure first). */
  override destroy(): void {
    this.tracker.destroy();
    this.stopReconnectingWhenOnline();
    this.provider.destroy();
    super.destroy();
  }
}

const protocolsFor = (token: string | undefined): string[] => (token === undefined ? [] : tokenSubprotocols(token));
