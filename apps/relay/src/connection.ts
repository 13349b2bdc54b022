import { CloseCode, type CloseCodeInfo } from '@meshpad/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { ConnectionQuota } from './connection-quota.js';

let nextId = 0;

/**
 * Time a cut-off connection's close frame has to reach the client before its socket is ended: a write that went
 * straight to the kernel is out at once, one queued behind a slow reader's backlog may not be, and then the
 * client sees 1006, which it treats as transient too.
 */
const CUT_OFF_GRACE_MS = 200;

/** Closes that say something is wrong with the relay, not with the client: logged as errors. */
const RELAY_FAULTS: ReadonlySet<CloseCodeInfo> = new Set([
  CloseCode.InternalError,
  CloseCode.StorageUnavailable,
  CloseCode.DiskFull,
]);

export interface ConnectionOptions {
  /** Unsent bytes (the socket's `bufferedAmount`) past which the connection is closed as a slow reader. */
  readonly maxBufferedBytes: number;
  /** What the client may send per second (on `/yjs`). */
  readonly quota?: ConnectionQuota;
}

/** What a full-state answer answers: sync step 1 (with sync step 2) or query-awareness. */
export type AnswerKind = 'sync' | 'awareness';

/**
 * One client's WebSocket: sending within the high-water mark, full-state answers one at a time, and
 * closing with a named code and one log line.
 */
export class Connection {
  readonly id = `c${(++nextId).toString(36)}`;
  readonly quota: ConnectionQuota | undefined;
  /** The client sent a save request, so it reads Meshpad's own messages (PROTOCOL.md, "Framing"). */
  speaksMeshpad = false;
  /** Set for a view-only connection: its updates are dropped, and counted here. */
  readOnly: { dropped: number } | undefined;
  private readonly maxBufferedBytes: number;
  private closed = false;
  private closedByRelay = false;
  private cutOff = false;
  /** Size of the full-state answer being written, which the high-water mark does not count; -1 when none. */
  private answerBytes = -1;
  /** Requests that came while an answer was being written: the latest of each kind. */
  private waiting: Map<AnswerKind, () => Uint8Array> | undefined;
  private probing = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly parentLog: FastifyBaseLogger,
    private readonly bindings: Readonly<Record<string, string>>,
    options: ConnectionOptions,
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes;
    this.quota = options.quota;
  }

  /** A logger with this connection's bindings, made when needed: an idle relay holds thousands of connections. */
  get log(): FastifyBaseLogger {
    return this.parentLog.child(this.bindings);
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  send(frame: Uint8Array): void {
    if (this.admit()) this.socket.send(frame);
  }

  /** Sends a text frame (the signaling protocol is JSON text). */
  sendText(text: string): void {
    if (this.admit()) this.socket.send(text);
  }

  /**
   * Sends a full-state answer that `make` builds. One is in flight at a time: a request made while
   * one is being written waits, in place of any earlier waiting request of its kind, and is answered
   * with the state of the moment the previous answer is written out. A client that asks again while
   * more than the high-water mark is unsent is not reading, and is closed as a slow reader (a stock
   * client asks once per connection).
   */
  answer(kind: AnswerKind, make: () => Uint8Array): void {
    if (!this.isOpen) return;
    if (this.answerBytes < 0) {
      this.writeAnswer(make());
      return;
    }
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.closeSlowReader(this.socket.bufferedAmount);
      return;
    }
    this.waiting ??= new Map();
    this.waiting.set(kind, make);
  }

  /**
   * Pings the client and drops the connection unless a pong comes within `timeoutMs`; one probe at a time. Asked
   * when another connection claims this one's client id: a client back from a network change reconnects while its
   * old connection is still half-open, and its id must not stay with the dead one until the keep-alive notices.
   */
  probe(timeoutMs: number): void {
    if (!this.isOpen || this.probing) return;
    this.probing = true;
    const timer = setTimeout(() => {
      if (!this.isOpen) return;
      this.log.info('no answer to a liveness probe; dropping the connection');
      this.socket.terminate();
    }, timeoutMs);
    timer.unref();
    this.socket.once('pong', () => {
      clearTimeout(timer);
      this.probing = false;
    });
    this.socket.ping();
  }

  /**
   * Closes with `code`, logging `detail` once (at warn level for client faults, info otherwise). The close frame
   * carries `reason`, by default the code's own.
   */
  close(code: CloseCodeInfo, detail?: string, reason: string = code.reason): void {
    if (this.closed) return;
    this.closed = true;
    this.closedByRelay = true;
    this.waiting = undefined;
    if (detail !== undefined) {
      const level = code === CloseCode.GoingAway ? 'info' : RELAY_FAULTS.has(code) ? 'error' : 'warn';
      this.log[level]({ closeCode: code.code, closeReason: code.reason }, detail);
    }
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code.code, reason);
    }
  }

  /**
   * Stops reading a connection the relay closed. Called for a frame that arrives after the close frame, and for a
   * connection refused as it opens: a client that keeps sending once told to stop would otherwise have the relay
   * receive everything it queued (megabytes, for a flood) until its close reply comes through.
   */
  stopReading(): void {
    if (!this.closedByRelay || this.cutOff) return;
    this.cutOff = true;
    this.log.debug(`stopped reading the closed connection; ending it in ${CUT_OFF_GRACE_MS} ms`);
    this.socket.pause();
    setTimeout(() => this.socket.terminate(), CUT_OFF_GRACE_MS).unref();
  }

  /** Marks the connection closed when the peer closed it. */
  markClosed(): void {
    this.closed = true;
    this.waiting = undefined;
  }

  /** Whether a frame may be queued now; closes the connection when it holds more unsent data than the mark. */
  private admit(): boolean {
    if (!this.isOpen) return false;
    const unsent = this.socket.bufferedAmount - Math.max(this.answerBytes, 0);
    if (unsent <= this.maxBufferedBytes) return true;
    this.closeSlowReader(unsent);
    return false;
  }

  private closeSlowReader(unsent: number): void {
    // The close frame waits behind what is unsent; ws ends the socket if the handshake does not finish in time.
    this.close(
      CloseCode.SlowReader,
      `closing connection: ${unsent} bytes unsent, over the high-water mark of ${this.maxBufferedBytes}`,
    );
  }

  private writeAnswer(frame: Uint8Array): void {
    if (!this.admit()) return;
    this.answerBytes = frame.length;
    this.socket.send(frame, () => this.answerWritten());
  }

  private answerWritten(): void {
    this.answerBytes = -1;
    const next = this.waiting?.entries().next();
    if (next === undefined || next.done || !this.isOpen) return;
    const [kind, make] = next.value;
    this.waiting?.delete(kind);
    try {
      this.writeAnswer(make());
    } catch (cause) {
      this.log.error({ err: cause }, 'unexpected fault answering a request');
      this.close(CloseCode.InternalError);
    }
  }
}
