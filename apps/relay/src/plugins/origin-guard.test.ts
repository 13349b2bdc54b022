import { request } from 'node:http';
import { CloseCode, encodeSyncStep1 } from '@meshpad/protocol';
import { MemoryDocStore, type StoredDoc } from '@meshpad/storage';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { closed, rawSocket, startRelay, stockClient, synced, type TestRelay } from '../../test/harness.js';

/** The in-memory store, noting which documents the relay loaded. */
class LoadNotingStore extends MemoryDocStore {
  readonly loaded: string[] = [];
  override load(docName: string): Promise<StoredDoc> {
    this.loaded.push(docName);
    return super.load(docName);
  }
}

let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Opens a WebSocket with the given headers, sends what a y-websocket client sends first (sync step 1),
 * and resolves with the close and every frame received before it.
 */
async function refusedUpgrade(url: string, headers: { origin?: string; host?: string }) {
  const { socket, frames } = await rawSocket(url, {
    ...(headers.origin === undefined ? {} : { origin: headers.origin }),
    ...(headers.host === undefined ? {} : { headers: { host: headers.host } }),
  });
  const close = closed(socket);
  if (socket.readyState === socket.OPEN) socket.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
  const notClosed = new Promise<{ code: string; reason: string }>((resolve) =>
    setTimeout(() => resolve({ code: 'still open after 2 s', reason: '' }), 2000),
  );
  const result = { ...(await Promise.race([close, notClosed])), frames };
  socket.terminate();
  return result;
}

/** Resolves with the first frame the relay sends: a y-websocket server opens with its sync step 1. */
async function firstFrame(url: string, headers: { origin?: string; host?: string }): Promise<Uint8Array> {
  const { socket, frames } = await rawSocket(url, {
    ...(headers.origin === undefined ? {} : { origin: headers.origin }),
    ...(headers.host === undefined ? {} : { headers: { host: headers.host } }),
  });
  socket.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
  while (frames.length === 0) {
    if (socket.readyState !== socket.OPEN) throw new Error(`closed before any frame: ${socket.readyState}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  socket.close();
  return frames[0]!;
}

const FORBIDDEN = { code: CloseCode.Forbidden.code, reason: CloseCode.Forbidden.reason, frames: [] };

describe('WebSocket origins', () => {
  it('closes an upgrade from a foreign browser origin with 4403 before loading the room or sending a byte', async () => {
    const store = new LoadNotingStore();
    relay = await startRelay({ store });
    const writer = stockClient(relay.syncUrl, 'secret');
    await synced(writer);
    writer.text.insert(0, 'not for attacker.example');
    writer.destroy();
    while (relay.app.rooms.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const loadsBefore = store.loaded.length;

    const origin = `http://attacker.example:${relay.port}`;
    expect(await refusedUpgrade(`${relay.syncUrl}/secret`, { origin })).toEqual(FORBIDDEN);
    expect(await refusedUpgrade(`ws://127.0.0.1:${relay.port}/signal`, { origin })).toEqual(FORBIDDEN);
    expect(await refusedUpgrade(`${relay.syncUrl}/secret`, { origin: 'null' })).toEqual(FORBIDDEN);
    expect(store.loaded.length).toBe(loadsBefore);
    expect(relay.app.rooms.size).toBe(0);
    expect(relay.app.signalingTopics.size).toBe(0);
    expect(relay.logs().some((l) => String(l.msg).includes(`refused a WebSocket from origin "${origin}"`))).toBe(true);
  });

  it('accepts upgrades from the same origin and from clients that send no Origin', async () => {
    relay = await startRelay();
    const port = relay.port;
    expect((await firstFrame(`${relay.syncUrl}/a`, { origin: `http://127.0.0.1:${port}` })).length).toBeGreaterThan(0);
    const viaLocalhost = { origin: `http://localhost:${port}`, host: `localhost:${port}` };
    expect((await firstFrame(`${relay.syncUrl}/a`, viaLocalhost)).length).toBeGreaterThan(0);
    const node = stockClient(relay.syncUrl, 'a');
    await synced(node);
    node.destroy();
  });

  it('with --public-origin or --allowed-origins, allows those origins only', async () => {
    relay = await startRelay({ env: { MESHPAD_PUBLIC_ORIGIN: 'https://pad.example.com' } });
    // Behind a proxy that passes Host and Origin through.
    const proxied = { origin: 'https://pad.example.com', host: 'pad.example.com' };
    expect((await firstFrame(`${relay.syncUrl}/a`, proxied)).length).toBeGreaterThan(0);
    // ...or one that sends its own Host: the public origin still matches.
    expect((await firstFrame(`${relay.syncUrl}/a`, { origin: 'https://pad.example.com' })).length).toBeGreaterThan(0);
    const sameHost = { origin: `http://127.0.0.1:${relay.port}` };
    expect(await refusedUpgrade(`${relay.syncUrl}/a`, sameHost)).toEqual(FORBIDDEN);
    await relay.close();

    relay = await startRelay({ env: { MESHPAD_ALLOWED_ORIGINS: 'https://a.example,https://b.example' } });
    expect((await firstFrame(`${relay.syncUrl}/a`, { origin: 'https://b.example' })).length).toBeGreaterThan(0);
    expect(await refusedUpgrade(`${relay.syncUrl}/a`, { origin: 'https://c.example' })).toEqual(FORBIDDEN);
  });
});

describe('Host on a loopback bind (DNS rebinding)', () => {
  it('answers HTTP addressed to another name with 421 and nothing of the app', async () => {
    relay = await startRelay();
    for (const path of ['/', '/healthz', '/d/AbCdEf123']) {
      const res = await get(relay.port, path, `attacker.example:${relay.port}`);
      expect(res.status, path).toBe(421);
      expect(JSON.parse(res.body), path).toEqual({
        error: 'Misdirected Request',
        message: 'This relay answers only requests addressed to localhost, 127.x.x.x, [::1].',
      });
    }
    for (const host of [`localhost:${relay.port}`, '127.0.0.2', `[::1]:${relay.port}`]) {
      expect((await get(relay.port, '/healthz', host)).status, host).toBe(200);
    }
  });

  it('closes an upgrade addressed to another name with 4403, with or without an Origin', async () => {
    const store = new LoadNotingStore();
    relay = await startRelay({ store });
    const host = `attacker.example:${relay.port}`;
    // The rebinding page's origin names the same host, so the Origin check alone would let it in.
    expect(await refusedUpgrade(`${relay.syncUrl}/secret`, { host, origin: `http://${host}` })).toEqual(FORBIDDEN);
    expect(await refusedUpgrade(`${relay.syncUrl}/secret`, { host })).toEqual(FORBIDDEN);
    expect(await refusedUpgrade(`ws://127.0.0.1:${relay.port}/signal`, { host })).toEqual(FORBIDDEN);
    expect(store.loaded).toEqual([]);
  });

  it('also answers the public origin host there, and any host on other binds', async () => {
    relay = await startRelay({ env: { MESHPAD_PUBLIC_ORIGIN: 'https://pad.example.com' } });
    expect((await get(relay.port, '/healthz', 'pad.example.com')).status).toBe(200);
    expect((await get(relay.port, '/healthz', 'attacker.example')).status).toBe(421);
    await relay.close();

    // The harness always listens on 127.0.0.1; --host is what the relay believes it is bound to.
    relay = await startRelay({ env: { HOST: '0.0.0.0' } });
    expect((await get(relay.port, '/healthz', 'pad.lan:4321')).status).toBe(200);
  });
});
