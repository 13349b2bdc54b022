import {
  type ClientMessage,
  CloseCode,
  decodeClientMessage,
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  encodeSaved,
  parseRoomName,
  SYNC_PATH,
} from '@meshpad/protocol';
import type { DocStore } from '@meshpad/storage';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RawData, WebSocket } from 'ws';
import type { AwarenessLimits } from '../awareness-registry.js';
import { Compactor } from '../compactor.js';
import { Connection } from '../connection.js';
import type { Room } from '../room.js';
import { RoomRegistry } from '../room-registry.js';
import { UpdateFlusher } from '../update-flusher.js';
import { releaseUpgradeRequest } from '../upgrade-request.js';

export interface SyncPluginOptions {
  readonly store: DocStore;
  /** Only for the log line when a client exceeds it; @fastify/websocket enforces it. */
  readonly maxMessageBytes: number;
  readonly compactAfterUpdates: number;
  readonly compactionDelayMs: number;
  /** How long a stopping relay keeps starting the compactions it had scheduled. */
  readonly shutdownCompactionBudgetMs: number;
  readonly awareness: AwarenessLimits;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The loaded rooms of the y-websocket endpoint. */
    rooms: RoomRegistry;
  }
}

const EMPTY_UPDATE_LENGTH = 2;

/** Whether a Yjs update carries nothing (no structs, no deletions): `[0, 0]`. */
const isEmptyUpdate = (update: Uint8Array) =>
  update.length === EMPTY_UPDATE_LENGTH && update[0] === 0 && update[1] === 0;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

async function syncPlugin(app: FastifyInstance, options: SyncPluginOptions): Promise<void> {
  const { store } = options;
  const compactor = new Compactor(store, app.log, options.compactionDelayMs, (name) => rooms.get(name));
  const rooms: RoomRegistry = new RoomRegistry(
    store,
    () => flusher,
    compactor,
    options.compactAfterUpdates,
    app.log,
    options.awareness,
  );
  const flusher = new UpdateFlusher(store, app.log, (room) => rooms.afterStore(room));
  const connections = new Set<Connection>();
  app.decorate('rooms', rooms);

  function handle(room: Room, conn: Connection, message: ClientMessage, frame: Uint8Array): void {
    switch (message.kind) {
      case 'sync-step1':
        conn.send(room.syncStep2(message.stateVector));
        return;
      case 'sync-step2':
      case 'update':
        if (!isEmptyUpdate(message.update)) flusher.enqueue(room, { from: conn, update: message.update });
        return;
      case 'awareness': {
        const accepted = room.awareness.apply(message.entries, conn);
        // Sent to the sender too: y-websocket 3 clients drop a connection that received nothing for
        // 30 s and count on the echo of their 15 s awareness renewal. Frames that changed nothing
        // (clients send back every state they receive) go nowhere, nor do entries for ids another
        // connection owns or over the limits (PROTOCOL.md, "Awareness ownership").
        if (accepted.length === message.entries.length) room.broadcast(frame);
        else if (accepted.length > 0) room.broadcast(encodeAwarenessMessage(encodeAwarenessUpdate(accepted)));
        return;
      }
      case 'query-awareness':
        conn.send(encodeAwarenessMessage(encodeAwarenessUpdate(room.awareness.entries())));
        return;
      case 'save-request':
        // Confirmed once on disk, not only stored: the client then stops counting these edits as unsaved.
        flusher
          .settled()
          .then(() => store.sync())
          .then(
            () => conn.send(encodeSaved(message.seq)),
            (cause: Error) => conn.close(CloseCode.StorageUnavailable, `edits not synced to disk: ${cause.message}`),
          );
        return;
      case 'auth':
        return;
    }
  }

  function receive(room: Room, conn: Connection, frame: Uint8Array): void {
    if (!conn.isOpen) return;
    const decoded = decodeClientMessage(frame);
    if (!decoded.ok) {
      conn.close(CloseCode[decoded.error.code], `closing connection: ${decoded.error.message}`);
      return;
    }
    try {
      handle(room, conn, decoded.value, frame);
    } catch (cause) {
      conn.log.error({ err: cause }, 'unexpected fault handling a message');
      conn.close(CloseCode.InternalError);
    }
  }

  // Tell every client to come back later, then store what is pending, before the server stops.
  app.addHook('preClose', async () => {
    for (const conn of connections) conn.close(CloseCode.GoingAway, 'relay shutting down');
    await flusher.drain();
  });

  app.addHook('onClose', async () => {
    await flusher.drain();
    await compactor.compactScheduled(options.shutdownCompactionBudgetMs);
    await compactor.close();
    await store.close();
  });

  app.get(`${SYNC_PATH}/*`, { websocket: true }, (socket: WebSocket, request) => {
    const rawPath = (request.raw.url ?? '').split('?')[0]!.slice(SYNC_PATH.length + 1);
    const roomName = parseRoomName(rawPath);
    const conn = new Connection(socket, app.log, { room: roomName.ok ? roomName.value : rawPath, conn: request.id });
    releaseUpgradeRequest(socket, request);
    socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        conn.log.warn(
          { closeCode: CloseCode.MessageTooBig.code, limit: options.maxMessageBytes },
          'closing connection: message over the size limit',
        );
      } else {
        conn.log.warn({ err: error }, 'WebSocket error');
      }
    });
    if (!roomName.ok) {
      conn.close(CloseCode.InvalidRoomName, `closing connection: ${roomName.error}`);
      return;
    }
    connections.add(conn);
    const room = rooms.acquire(roomName.value);
    let queued: Uint8Array[] | undefined = [];

    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        conn.close(CloseCode.UnsupportedData, 'closing connection: text frame received');
        return;
      }
      const frame = toBytes(data);
      if (queued) queued.push(frame);
      else receive(room, conn, frame);
    });
    socket.on('close', () => {
      conn.markClosed();
      connections.delete(conn);
      room.leave(conn);
      rooms.release(room);
      conn.log.debug('connection closed');
    });

    room.ready.then(
      () => {
        const pending = queued ?? [];
        queued = undefined;
        if (!conn.isOpen) return;
        room.join(conn);
        conn.log.debug('connection joined');
        for (const frame of pending) receive(room, conn, frame);
      },
      (cause: unknown) => {
        conn.close(CloseCode.StorageUnavailable, `document could not be loaded: ${(cause as Error).message}`);
      },
    );
  });
}

/** The y-websocket compatible endpoint at `/yjs/<room>`: sync, awareness, persistence and compaction. */
export default fp(syncPlugin, { name: 'meshpad-sync', fastify: '5.x', dependencies: ['@fastify/websocket'] });
