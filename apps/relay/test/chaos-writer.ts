import type { Socket } from 'node:net';
import { encodeSaveRequest, encodeSyncUpdate, MessageType } from '@meshpad/protocol';
import * as decoding from 'lib0/decoding';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { type StockClient, stockClient } from './harness.js';

/** One inserted token; its characters have the Yjs ids (writer, `clock`) to (writer, `clock + text.length - 1`). */
export interface Token {
  readonly text: string;
  readonly clock: number;
  deleted: boolean;
}

/** What a save request covers: the writer's own structs below `clock` and its first `deletions` deletions. */
export interface SaveMark {
  readonly clock: number;
  readonly deletions: number;
}

/** Reconnect delays stay short, so a restarted relay has its clients back within a fraction of a second. */
const MAX_BACKOFF_MS = 200;

/**
 * A stock y-websocket client that inserts unique tokens (`c3:17;`) only between tokens, so no
 * concurrent insert ever splits one, deletes some of its own, and asks for save confirmations on
 * the provider's own socket, so that a `saved` answer covers every edit the provider sent before.
 */
export class ChaosWriter {
  readonly client: StockClient;
  readonly tokens: Token[] = [];
  /** This writer's deleted tokens, in the order it deleted them. */
  readonly deletions: Token[] = [];
  /** The latest save the relay confirmed. */
  confirmed: SaveMark = { clock: 0, deletions: 0 };
  savesConfirmed = 0;
  edits = 0;
  /** Edits made while the provider had no connection: they stay local until it reconnects. */
  offlineEdits = 0;
  private readonly rng: prng.PRNG;
  private seq = 0;
  /** Save requests not answered yet, with the socket they went out on. */
  private readonly asked = new Map<number, { socket: WebSocket; mark: SaveMark; onSaved?: () => void }>();

  constructor(
    readonly name: string,
    readonly room: string,
    syncUrl: string,
    seed: number,
  ) {
    this.rng = prng.create(seed);
    this.client = stockClient(syncUrl, room, new Y.Doc(), { maxBackoffTime: MAX_BACKOFF_MS });
    // y-websocket dispatches on the message type; a stock provider has no handler for Saved.
    this.client.provider.messageHandlers[MessageType.Saved] = (_encoder, decoder, provider) => {
      const seq = decoding.readVarUint(decoder);
      const asked = this.asked.get(seq);
      this.asked.delete(seq);
      if (asked === undefined || asked.socket !== provider.ws) return;
      this.savesConfirmed++;
      this.confirmed = {
        clock: Math.max(this.confirmed.clock, asked.mark.clock),
        deletions: Math.max(this.confirmed.deletions, asked.mark.deletions),
      };
      asked.onSaved?.();
    };
  }

  get clientId(): number {
    return this.client.doc.clientID;
  }

  /** The next id this writer's doc will give one of its own structs. */
  get clock(): number {
    return Y.getState(this.client.doc.store, this.clientId);
  }

  /**
   * Makes `count` edits (as one update if `together`), then asks for a save confirmation if `save`,
   * or else half of the time.
   */
  burst(count: number, { save = prng.bool(this.rng), together = false } = {}): void {
    const edit = () => {
      for (let i = 0; i < count; i++) this.edit();
    };
    if (together) this.client.doc.transact(edit);
    else edit();
    if (save) this.askSave();
  }

  /** One edit: mostly an insert at a random token boundary, sometimes the deletion of an own token. */
  edit(): void {
    const text = this.client.text;
    const content = text.toString();
    const live = this.tokens.filter((t) => !t.deleted);
    this.edits++;
    if (!this.client.provider.wsconnected) this.offlineEdits++;
    if (live.length > 4 && prng.int32(this.rng, 0, 4) === 0) {
      const token = prng.oneOf(this.rng, live);
      const at = content.indexOf(token.text);
      if (at < 0) throw new Error(`${this.name} lost its own token ${token.text} from ${content}`);
      text.delete(at, token.text.length);
      token.deleted = true;
      this.deletions.push(token);
      return;
    }
    const boundaries = [0];
    for (let i = 0; i < content.length; i++) if (content[i] === ';') boundaries.push(i + 1);
    const token: Token = { text: `${this.name}:${this.tokens.length};`, clock: this.clock, deleted: false };
    text.insert(prng.oneOf(this.rng, boundaries), token.text);
    this.tokens.push(token);
  }

  /**
   * Sends a save request when the provider is synced: its sync step 2 then carried every edit made
   * before this connection, and every later one went out as an update, all ahead of the request.
   * Returns whether it was sent; `onSaved` runs the instant its confirmation arrives.
   */
  askSave(onSaved?: () => void): boolean {
    const socket = this.client.provider.ws;
    if (!this.client.provider.synced || socket === null || socket.readyState !== socket.OPEN) return false;
    this.seq++;
    this.asked.set(this.seq, { socket, mark: { clock: this.clock, deletions: this.deletions.length }, onSaved });
    socket.send(encodeSaveRequest(this.seq));
    return true;
  }

  /**
   * Runs `send` with the provider's socket corked, so that everything it sends reaches the relay in
   * one write, to be read in one go.
   */
  inOneWrite(send: () => void): void {
    // reason: ws keeps its net.Socket private, and has no way to batch frames.
    const net = (this.client.provider.ws as unknown as { _socket?: Socket } | null)?._socket;
    net?.cork();
    try {
      send();
    } finally {
      net?.uncork();
    }
  }

  /**
   * Sends this writer's edits since `stateVector` again, `count` times, as a client resending after
   * a timeout would: the relay reads each and stores nothing new, so it stays busy for a while.
   */
  resendSince(stateVector: Uint8Array, count: number): void {
    const socket = this.client.provider.ws;
    if (socket === null || socket.readyState !== socket.OPEN) return;
    const frame = encodeSyncUpdate(Y.encodeStateAsUpdate(this.client.doc, stateVector));
    for (let i = 0; i < count; i++) socket.send(frame);
  }

  /** Tokens inserted and not deleted. */
  liveTokens(): string[] {
    return this.tokens.filter((t) => !t.deleted).map((t) => t.text);
  }

  /** Tokens whose every character lies below `clock`. */
  tokensBelow(clock: number): Token[] {
    return this.tokens.filter((t) => t.clock + t.text.length <= clock);
  }
}
