import { CloseCode, type CloseCodeInfo } from '@meshpad/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';

let nextId = 0;

/** Closes that say something is wrong with the relay, not with the client: logged as errors. */
const RELAY_FAULTS: ReadonlySet<CloseCodeInfo> = new Set([
  CloseCode.InternalError,
  CloseCode.StorageUnavailable,
  CloseCode.DiskFull,
]);

/** One client's WebSocket in a room: sending, and closing with a named code and one log line. */
export class Connection {
  readonly id = `c${(++nextId).toString(36)}`;
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly parentLog: FastifyBaseLogger,
    private readonly bindings: Readonly<Record<string, string>>,
  ) {}

  /** A logger with this connection's bindings, made when needed: an idle relay holds thousands of connections. */
  get log(): FastifyBaseLogger {
    return this.parentLog.child(this.bindings);
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  send(frame: Uint8Array): void {
    if (this.isOpen) this.socket.send(frame);
  }

  /** Sends a text frame (the signaling protocol is JSON text). */
  sendText(text: string): void {
    if (this.isOpen) this.socket.send(text);
  }

  /** Closes with `code`, logging `detail` once (at warn level for client faults, info otherwise). */
  close(code: CloseCodeInfo, detail?: string): void {
    if (this.closed) return;
    this.closed = true;
    if (detail !== undefined) {
      const level = code === CloseCode.GoingAway ? 'info' : RELAY_FAULTS.has(code) ? 'error' : 'warn';
      this.log[level]({ closeCode: code.code, closeReason: code.reason }, detail);
    }
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code.code, code.reason);
    }
  }

  /** Marks the connection closed when the peer closed it. */
  markClosed(): void {
    this.closed = true;
  }
}
