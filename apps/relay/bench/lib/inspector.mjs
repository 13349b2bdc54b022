import WebSocket from 'ws';

/**
 * A minimal Chrome DevTools Protocol client for a server started with --inspect: forces a full
 * garbage collection and reads the V8 heap in use, to tell live memory from garbage RSS still holds.
 */
export class Inspector {
  static async connect(port) {
    const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new Inspector(socket);
  }

  constructor(socket) {
    this.socket = socket;
    this.seq = 0;
    this.waiting = new Map();
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  call(method, params = {}) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /**
   * Bytes in use right after a full garbage collection: the V8 heap, and the ArrayBuffers (Node
   * Buffers) outside it, which a small view into a pooled Buffer keeps whole.
   */
  async liveMemory() {
    await this.call('HeapProfiler.collectGarbage');
    const { usedSize } = await this.call('Runtime.getHeapUsage');
    return { heap: usedSize, arrayBuffers: await this.#evaluate('process.memoryUsage().arrayBuffers') };
  }

  async #evaluate(expression) {
    const { result, exceptionDetails } = await this.call('Runtime.evaluate', { expression, returnByValue: true });
    if (exceptionDetails) throw new Error(`inspector: ${exceptionDetails.text}`);
    return result.value;
  }

  /** Starts an event-loop utilization measurement in the server. */
  markEventLoop() {
    return this.#evaluate('void (globalThis.__benchEventLoop = performance.eventLoopUtilization())');
  }

  /**
   * Share of wall time since `markEventLoop` the server's event loop was not idle: computing, or
   * blocked in a synchronous call such as an fsync. Compared with its CPU time this tells the two apart.
   */
  eventLoopUtilization() {
    return this.#evaluate('performance.eventLoopUtilization(globalThis.__benchEventLoop).utilization');
  }

  close() {
    this.socket.close();
  }
}
