import type { WebSocket } from 'ws';
import type { Connection } from './connection.js';

/**
 * Pings every watched socket once per interval and terminates one that did not answer the previous
 * ping, so a half-open connection (a peer gone without closing, a client that stopped reading) lets go
 * of its room within two intervals. Browsers and `ws` answer pings by themselves.
 */
export class KeepAlive {
  private readonly watched = new Map<WebSocket, Connection>();
  /** Sockets pinged since their last pong. */
  private readonly unanswered = new Set<WebSocket>();
  private readonly timer: NodeJS.Timeout;
  // Shared by every socket (ws calls listeners with the socket as `this`), so watching allocates nothing.
  private readonly onPong: (this: WebSocket) => void;
  private readonly onClose: (this: WebSocket) => void;

  constructor(intervalMs: number) {
    const { watched, unanswered } = this;
    this.onPong = function onPong(this: WebSocket) {
      unanswered.delete(this);
    };
    this.onClose = function onClose(this: WebSocket) {
      watched.delete(this);
      unanswered.delete(this);
    };
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  watch(socket: WebSocket, conn: Connection): void {
    this.watched.set(socket, conn);
    socket.on('pong', this.onPong);
    socket.once('close', this.onClose);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    for (const [socket, conn] of this.watched) {
      if (this.unanswered.has(socket)) {
        conn.log.info('no answer to the last ping; dropping the connection');
        this.onClose.call(socket);
        socket.terminate();
      } else if (socket.readyState === socket.OPEN) {
        this.unanswered.add(socket);
        socket.ping();
      }
    }
  }
}
