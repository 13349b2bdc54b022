import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { encodeSaved, MessageType } from '@meshpad/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { type WebSocket, WebSocketServer } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/**
 * A small y-websocket server that answers Meshpad save requests, for tests of the save tracker. Its "storage" is one
 * `Y.Doc` per room that outlives restarts. While {@link SaveRelay.holdStorage} is on, updates it receives stay in a
 * buffer (not stored) and save requests wait; {@link SaveRelay.crash} loses that buffer, as a relay that dies before
 * its write would. {@link SaveRelay.refuseUpdates} and {@link SaveRelay.closeAll} close connections with a code, as
 * the Meshpad relay does.
 */
export interface SaveRelay {
  readonly url: string;
  readonly port: number;
  /** The stored text of a room's `content`. */
  storedText(room: string): string;
  holdStorage(): void;
  /** Stores the buffered updates, then answers the waiting save requests. */
  releaseStorage(): void;
  /** How many save requests it has received. */
  readonly saveRequests: number;
  /** How many connections it has accepted. */
  readonly connections: number;
  /** From now on closes each connection that sends an update with content, with this code, instead of storing it. */
  refuseUpdates(close: { code: number; reason: string } | undefined): void;
  /** Closes every open connection with this code. */
  closeAll(code: number, reason: string): void;
  /** Stops (closing every connection); buffered updates and waiting requests are lost, and storage works again. */
  crash(): Promise<void>;
  /** Starts again on the same port with the same stored documents. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Client {
  readonly socket: WebSocket;
  readonly room: string;
}

/** Starts the server on a free loopback port, or on `port`. */
export const startSaveRelay = async (port = 0): Promise<SaveRelay> => {
  const stored = new Map<string, Y.Doc>();
  const roomDoc = (room: string): Y.Doc => {
    let doc = stored.get(room);
    if (doc === undefined) {
      doc = new Y.Doc();
      stored.set(room, doc);
    }
    return doc;
  };
  let holding = false;
  let buffer: Array<{ room: string; update: Uint8Array; from: WebSocket }> = [];
  let waiting: Array<{ socket: WebSocket; seq: number }> = [];
  let saveRequests = 0;
  let connections = 0;
  let refusal: { code: number; reason: string } | undefined;
  let clients = new Set<Client>();
  let server: WebSocketServer;

  const send = (socket: WebSocket, frame: Uint8Array): void => {
    if (socket.readyState === socket.OPEN) socket.send(frame);
  };

  const store = (room: string, update: Uint8Array, from: WebSocket): void => {
    Y.applyUpdate(roomDoc(room), update, from);
  };

  const onMessage = (client: Client, data: Uint8Array): void => {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.Sync) {
      const syncType = decoding.peekVarUint(decoder);
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        decoding.readVarUint(decoder);
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Sync);
        syncProtocol.writeSyncStep2(encoder, roomDoc(client.room), decoding.readVarUint8Array(decoder));
        send(client.socket, encoding.toUint8Array(encoder));
        return;
      }
      decoding.readVarUint(decoder);
      const update = decoding.readVarUint8Array(decoder);
      const empty = update.length === 2 && update[0] === 0 && update[1] === 0;
      if (refusal !== undefined && !empty) {
        client.socket.close(refusal.code, refusal.reason);
        return;
      }
      if (holding) buffer.push({ room: client.room, update, from: client.socket });
      else store(client.room, update, client.socket);
      return;
    }
    if (type === MessageType.SaveRequest) {
      saveRequests++;
      const seq = decoding.readVarUint(decoder);
      if (holding) waiting.push({ socket: client.socket, seq });
      else send(client.socket, encodeSaved(seq));
      return;
    }
    if (type === MessageType.Awareness) {
      for (const other of clients) if (other !== client && other.room === client.room) send(other.socket, data);
    }
  };

  const listen = async (): Promise<void> => {
    server = new WebSocketServer({ host: '127.0.0.1', port });
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    server.on('connection', (socket, request) => {
      const client = { socket, room: (request.url ?? '').replace(/^\/yjs\//, '') };
      clients.add(client);
      connections++;
      const doc = roomDoc(client.room);
      // Forward what this room stores to the other clients in it.
      const forward = (update: Uint8Array, origin: unknown): void => {
        if (origin === socket) return;
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Sync);
        syncProtocol.writeUpdate(encoder, update);
        send(socket, encoding.toUint8Array(encoder));
      };
      doc.on('update', forward);
      socket.on('message', (data: Buffer) => onMessage(client, new Uint8Array(data)));
      socket.on('close', () => {
        doc.off('update', forward);
        clients.delete(client);
      });
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.Sync);
      syncProtocol.writeSyncStep1(encoder, doc);
      send(socket, encoding.toUint8Array(encoder));
    });
  };

  const close = async (): Promise<void> => {
    for (const { socket } of clients) socket.terminate();
    clients = new Set();
    server.close();
    await once(server, 'close');
  };

  await listen();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get saveRequests() {
      return saveRequests;
    },
    get connections() {
      return connections;
    },
    refuseUpdates: (close) => {
      refusal = close;
    },
    closeAll: (code, reason) => {
      for (const { socket } of clients) socket.close(code, reason);
    },
    storedText: (room) => roomDoc(room).getText('content').toString(),
    holdStorage: () => {
      holding = true;
    },
    releaseStorage: () => {
      holding = false;
      for (const { room, update, from } of buffer) store(room, update, from);
      for (const { socket, seq } of waiting) send(socket, encodeSaved(seq));
      buffer = [];
      waiting = [];
    },
    crash: async () => {
      holding = false;
      buffer = [];
      waiting = [];
      await close();
    },
    restart: listen,
    stop: close,
  };
};
