import { encodeSaveRequest, MessageType } from '@meshpad/protocol';
import * as decoding from 'lib0/decoding';
import { ObservableV2 } from 'lib0/observable';
import { messageYjsSyncStep1 } from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';

export type SaveTrackerEvents = {
  /** The number of unconfirmed changes changed. */
  unsaved: (unsaved: number) => void;
};

type MessageHandler = WebsocketProvider['messageHandlers'][number];

const MESSAGE_SYNC = 0;

/**
 * Counts the local changes of a document that the relay has not confirmed storing, using Meshpad's save requests
 * (PROTOCOL.md, "Save confirmation"). Each local transaction is one change. After the provider's sync step 2 has
 * gone out on a connection (which carries everything the relay lacked, deletions included) and after every later
 * local change, the tracker sends `[100, seq]`; the relay's `[101, seq]` confirms every change made before that
 * request. A stock y-websocket server never answers, so the count then never falls to zero. Every connection sends
 * at least the request after its sync step 2, which also marks it a Meshpad client for the relay.
 */
export class SaveTracker extends ObservableV2<SaveTrackerEvents> {
  private made = 0;
  private confirmed = 0;
  private nextSeq = 1;
  /** Requests in flight on the ready socket: seq → how many changes had been made when it was sent. */
  private readonly requests = new Map<number, number>();
  /** The socket whose sync step 2 has been sent; requests on any other one would confirm too little. */
  private readySocket: WebSocket | null = null;
  private requestQueued = false;
  private readonly syncHandler: MessageHandler;

  /**
   * @param isLocal Whether an update with this transaction origin is a change this session must get stored (it is
   * false for what came from the relay or was read from the local copy).
   */
  constructor(
    private readonly provider: WebsocketProvider,
    private readonly isLocal: (origin: unknown) => boolean,
  ) {
    super();
    const syncHandler = provider.messageHandlers[MESSAGE_SYNC];
    if (syncHandler === undefined) throw new Error('the provider has no sync message handler');
    this.syncHandler = syncHandler;
    provider.messageHandlers[MESSAGE_SYNC] = this.onSyncMessage;
    provider.messageHandlers[MessageType.Saved] = this.onSavedMessage;
    provider.on('status', this.onStatus);
    provider.doc.on('update', this.onUpdate);
  }

  /** Local changes the relay has not confirmed storing. */
  get unsaved(): number {
    return this.made - this.confirmed;
  }

  /** Counts `count` earlier changes (read from the local copy) as not confirmed, and asks the relay about them. */
  adopt(count: number): void {
    if (count <= 0) return;
    this.made += count;
    this.emit('unsaved', [this.unsaved]);
    this.queueRequest();
  }

  override destroy(): void {
    this.provider.messageHandlers[MESSAGE_SYNC] = this.syncHandler;
    delete this.provider.messageHandlers[MessageType.Saved];
    this.provider.off('status', this.onStatus);
    this.provider.doc.off('update', this.onUpdate);
    this.requests.clear();
    super.destroy();
  }

  private readonly onSyncMessage: MessageHandler = (encoder, decoder, provider, emitSynced, messageType) => {
    // Only the relay's sync step 1 (not one from another tab) makes the provider answer with sync step 2 on the socket.
    const fromRelayStep1 = emitSynced && decoding.peekVarUint(decoder) === messageYjsSyncStep1;
    this.syncHandler(encoder, decoder, provider, emitSynced, messageType);
    if (!fromRelayStep1) return;
    const socket = provider.ws;
    // The provider sends the answer once this handler returns, before any microtask runs.
    queueMicrotask(() => {
      if (socket === null || socket !== this.provider.ws) return;
      this.readySocket = socket;
      // Also with nothing to confirm: a save request tells the relay that this client reads Meshpad's messages, so it
      // is told when a capability of the room is rotated (PROTOCOL.md, "Revocation").
      this.sendRequest(true);
    });
  };

  private readonly onSavedMessage: MessageHandler = (_encoder, decoder, _provider, emitSynced) => {
    if (!emitSynced || !decoding.hasContent(decoder)) return;
    const seq = decoding.readVarUint(decoder);
    const covered = this.requests.get(seq);
    if (covered === undefined) return;
    for (const sent of this.requests.keys()) if (sent <= seq) this.requests.delete(sent);
    if (covered <= this.confirmed) return;
    this.confirmed = covered;
    this.emit('unsaved', [this.unsaved]);
  };

  private readonly onStatus = ({ status }: { status: string }): void => {
    if (status === 'connected') return;
    // Answers to requests sent on a closed socket never come; the next connection asks again after its sync.
    this.readySocket = null;
    this.requests.clear();
  };

  private readonly onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (!this.isLocal(origin)) return;
    this.made++;
    this.emit('unsaved', [this.unsaved]);
    this.queueRequest();
  };

  /** One request for all the changes of this task: the provider has already sent each of them. */
  private queueRequest(): void {
    if (this.requestQueued) return;
    this.requestQueued = true;
    queueMicrotask(() => {
      this.requestQueued = false;
      this.sendRequest();
    });
  }

  private sendRequest(evenIfAllConfirmed = false): void {
    const socket = this.provider.ws;
    if (socket === null || socket !== this.readySocket || socket.readyState !== socket.OPEN) return;
    if (this.made === this.confirmed && !evenIfAllConfirmed) return;
    const seq = this.nextSeq++;
    this.requests.set(seq, this.made);
    socket.send(encodeSaveRequest(seq));
  }
}
