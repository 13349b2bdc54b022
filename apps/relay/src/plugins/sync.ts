import {
  type ClientMessage,
  CloseCode,
  countWithinLimits,
  type DecodedUpdate,
  decodeClientMessage,
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  encodeCapabilitiesRotated,
  encodePermissionDenied,
  encodeSaved,
  encodeSyncUpdate,
  parseRoomName,
  peekLargeUpdate,
  SYNC_PATH,
  type UpdateLimits,
} from '@meshpad/protocol';
import type { DocStore } from '@meshpad/storage';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RawData, WebSocket } from 'ws';
import type { AccessGate } from '../access/access-gate.js';
import type { LiveGrants } from '../access/live-grants.js';
import { tokenOf } from '../access/token-transport.js';
import { CompactionThread, type CompactionThreadOptions } from '../compaction-thread.js';
import { Compactor } from '../compactor.js';
import { Connection } from '../connection.js';
import { ConnectionQuota, QUOTA_BURST_SECONDS, type QuotaLimits } from '../connection-quota.js';
import { addressKey, type ConnectionsPerAddress } from '../connections-per-address.js';
import { IntakeThread, type LargeUpdateVerdict } from '../intake-thread.js';
import { KeepAlive } from '../keep-alive.js';
import { QuotaCarryOver } from '../quota-carry-over.js';
import type { Intake, Room, RoomLimits } from '../room.js';
import { RoomRegistry } from '../room-registry.js';
import { UpdateFlusher } from '../update-flusher.js';
import { releaseUpgradeRequest } from '../upgrade-request.js';
import type { WorkerThreadOptions } from '../worker-thread.js';

export interface SyncPluginOptions {
  readonly store: DocStore;
  /** Only for the log line when a client exceeds it; @fastify/websocket enforces it. */
  readonly maxMessageBytes: number;
  /** Unsent bytes past which a connection is closed as a slow reader. */
  readonly maxBufferedBytes: number;
  readonly pingIntervalMs: number;
  /** What each connection may send per second. */
  readonly quota: QuotaLimits;
  /** Shared with `/signal`. */
  readonly connectionsPerAddress: ConnectionsPerAddress;
  readonly compactAfterUpdates: number;
  readonly compactionDelayMs: number;
  /** How long a room stays loaded after its last connection left. */
  readonly roomLingerMs: number;
  /** How long a stopping relay keeps starting the compactions it had scheduled. */
  readonly shutdownCompactionBudgetMs: number;
  readonly updateLimits: UpdateLimits;
  readonly compactionThread: CompactionThreadOptions;
  /**
   * Updates of at least `minBytes`, and stored documents of as many bytes being loaded, are decoded and
   * checked in the intake thread, off the event loop.
   */
  readonly intakeThread: WorkerThreadOptions & { readonly minBytes: number };
  readonly roomLimits: RoomLimits;
  /** Whether the disk has room for more updates; reads go on when it has not. */
  readonly canStore: () => boolean;
  /** Who may open which room; checked before the room is loaded. */
  readonly gate: AccessGate;
  /** Closes connections whose token is revoked or expires. */
  readonly liveGrants: LiveGrants;
}

/** What became of an update written through the HTTP API: stored (durably), or why not, as an HTTP status. */
export type WriteOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: number; readonly reason: string };

declare module 'fastify' {
  interface FastifyInstance {
    /** The loaded rooms of the y-websocket endpoint. */
    rooms: RoomRegistry;
    /**
     * Stores a Yjs update in `room` and forwards it to the room's connections, judged as a connection's would be
     * (PROTOCOL.md, "Validation"), but whole: what would wait for missing edits is refused instead. Resolves once
     * it is on disk.
     */
    writeUpdate(room: string, update: Uint8Array): Promise<WriteOutcome>;
  }
}

/** Quotas of closed connections kept for a client coming back; past it the oldest are dropped. */
const MAX_QUOTAS_LEFT = 10_000;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

async function syncPlugin(app: FastifyInstance, options: SyncPluginOptions): Promise<void> {
  const { store } = options;
  const compactor = new Compactor(
    store,
    app.log,
    { afterUpdates: options.compactAfterUpdates, delayMs: options.compactionDelayMs },
    new CompactionThread(options.compactionThread),
    (name) => rooms.get(name),
  );
  const intakeThread = new IntakeThread(options.intakeThread);
  const rooms: RoomRegistry = new RoomRegistry(
    store,
    () => flusher,
    compactor,
    options.roomLimits,
    app.log,
    options.roomLingerMs,
    (updates) => intakeThread.screen(updates, options.intakeThread.minBytes),
  );
  const flusher = new UpdateFlusher(store, app.log, (room, count) => compactor.stored(room.name, count));
  const connections = new Set<Connection>();
  const keepAlive = new KeepAlive(options.pingIntervalMs);
  const quotasLeft = new QuotaCarryOver<ConnectionQuota>(QUOTA_BURST_SECONDS * 1000, MAX_QUOTAS_LEFT);
  app.decorate('rooms', rooms);
  // After the connections holding revoked tokens are closed (LiveGrants listens first): the others move their mesh.
  const stopAnnouncing = options.gate.onRotate((name, generations) => {
    const room = rooms.get(name);
    if (room === undefined) return;
    const frame = encodeCapabilitiesRotated(generations);
    for (const conn of room.connections) if (conn.speaksMeshpad) conn.send(frame);
  });
  app.addHook('onClose', async () => stopAnnouncing());

  app.decorate('writeUpdate', async (name: string, update: Uint8Array): Promise<WriteOutcome> => {
    if (!options.canStore()) {
      return { ok: false, status: 507, reason: 'the relay’s data directory is nearly full: nothing is stored' };
    }
    const decoded = decodeClientMessage(
      encodeSyncUpdate(update),
      options.updateLimits,
      options.roomLimits.awareness.entriesPerMessage,
    );
    if (!decoded.ok || decoded.value.kind !== 'update') {
      return { ok: false, status: 422, reason: decoded.ok ? 'not a Yjs update' : decoded.error.message };
    }
    const { decoded: parts } = decoded.value;
    const room = rooms.acquire(name);
    try {
      await room.ready;
      // In the room's order: after the large updates of its connections being judged before it.
      const judged = await new Promise<WriteOutcome>((resolve) => {
        const queued = room.intake.run(() => {
          if (room.failed) {
            resolve({ ok: false, status: 503, reason: 'the document failed; try again' });
            return undefined;
          }
          const whole = room.receiveWhole(update, parts);
          if (!whole.ok) resolve(whole);
          else {
            settle(room, whole.intake);
            resolve({ ok: true });
          }
          return undefined;
        }, update.length);
        if (!queued) resolve({ ok: false, status: 503, reason: 'too much waits in this document; try again' });
      });
      if (!judged.ok) return judged;
      await flusher.settled();
      await store.sync();
      return room.failed ? { ok: false, status: 503, reason: 'the update could not be stored; try again' } : judged;
    } finally {
      rooms.release(room);
    }
  });

  function handle(room: Room, conn: Connection, message: ClientMessage, frame: Uint8Array): void {
    switch (message.kind) {
      case 'sync-step1':
        conn.answer('sync', () => room.syncStep2(message.stateVector));
        return;
      case 'sync-step2':
      case 'update':
        if (checkCanWrite(conn) && checkCanStore(conn) && checkStructQuota(conn, workOf(message.decoded))) {
          settle(room, room.receive(conn, message.update, message.decoded, message.kind === 'update'));
        }
        return;
      case 'awareness': {
        const owners = room.awareness.ownersVersion;
        const accepted = room.awareness.apply(message.entries, conn);
        // Updates held for an id's owner may now be admitted: it left, or someone took the id over.
        if (room.awareness.ownersVersion !== owners && room.held.size > 0) settle(room, room.ownersChanged());
        // Sent to the sender too: y-websocket 3 clients drop a connection that received nothing for
        // 30 s and count on the echo of their 15 s awareness renewal. Frames that changed nothing
        // (clients send back every state they receive) go nowhere, nor do entries for ids another
        // connection owns or over the limits (PROTOCOL.md, "Awareness ownership").
        if (!message.truncated && accepted.length === message.entries.length) room.broadcast(frame);
        else if (accepted.length > 0) room.broadcast(encodeAwarenessMessage(encodeAwarenessUpdate(accepted)));
        return;
      }
      case 'query-awareness':
        conn.answer('awareness', () => encodeAwarenessMessage(encodeAwarenessUpdate(room.awareness.entries())));
        return;
      case 'save-request':
        conn.speaksMeshpad = true;
        // A view connection's edits are never stored, so it is never told they are saved.
        if (conn.readOnly !== undefined) return;
        // Confirmed once on disk, not only stored: the client then stops counting these edits as unsaved.
        // Its updates that wait for missing edits delay the answer; if they are dropped, it never comes.
        room.held
          .whenReleased(conn)
          .then(() => flusher.settled())
          .then(() => store.sync())
          .then(
            () => {
              if (!room.failed) conn.send(encodeSaved(message.seq));
            },
            (cause: Error) => conn.close(CloseCode.StorageUnavailable, `edits not synced to disk: ${cause.message}`),
          );
        return;
      case 'auth':
        return;
    }
  }

  /** Stores and forwards what of an update may be, or closes the connections it refused. */
  function settle(room: Room, intake: Intake): void {
    flusher.enqueue(room, intake.ready);
    for (const { conn: refused, code, detail } of intake.refusals) refused.close(code, detail);
  }

  /**
   * Whether the connection may write. A view connection's updates are dropped and counted; the first
   * one is answered with y-protocols' permission-denied message.
   */
  function checkCanWrite(conn: Connection): boolean {
    const readOnly = conn.readOnly;
    if (readOnly === undefined) return true;
    if (readOnly.dropped++ === 0) {
      conn.send(encodePermissionDenied('view-only link: edits are not stored or forwarded'));
      conn.log.info('a view-only connection sent an update; dropped (counted until it closes)');
    }
    return false;
  }

  function checkCanStore(conn: Connection): boolean {
    if (options.canStore()) return true;
    conn.close(CloseCode.DiskFull, 'closing connection: the data directory is nearly full, so no update is stored');
    return false;
  }

  /** What an update costs against the struct quota: its structs and its deleted ranges. */
  function workOf(decoded: DecodedUpdate): number {
    let ranges = 0;
    for (const items of decoded.ds.clients.values()) ranges += items.length;
    return decoded.structs.length + ranges;
  }

  function checkStructQuota(conn: Connection, structs: number): boolean {
    const quota = conn.quota;
    if (quota === undefined || quota.take('structs', structs)) return true;
    conn.close(CloseCode.RateLimited, `closing connection: ${quota.describe('structs')}`);
    return false;
  }

  /** A large update: decoded and judged in the intake thread while the room's later messages wait. */
  async function receiveLarge(
    room: Room,
    conn: Connection,
    { kind, update }: { kind: 'sync-step2' | 'update'; update: Uint8Array },
  ): Promise<void> {
    if (!checkCanWrite(conn) || !checkCanStore(conn)) return;
    // Counted here, by a walk over its bytes, so that what is over the limits or the quota costs the
    // thread nothing: a client that reconnects to send more would otherwise keep it busy.
    // The walk stops where the quota does, so an update far over it is not even walked through.
    const quota = conn.quota;
    const count = countWithinLimits(update, options.updateLimits, quota?.available('structs'));
    if (!count.ok) {
      if (count.error.overQuota) {
        // The walk stopped where the quota did: the update holds more than the bucket.
        checkStructQuota(conn, Number.POSITIVE_INFINITY);
      } else {
        conn.close(CloseCode.InvalidUpdate, `closing connection: ${count.error.message}`);
      }
      return;
    }
    if (!checkStructQuota(conn, count.value.structs + count.value.deletes)) return;
    let verdict: LargeUpdateVerdict;
    try {
      verdict = await intakeThread.judge(update, options.updateLimits, (clients, deleteClients) =>
        room.judgingContext(conn, clients, deleteClients),
      );
    } catch (cause) {
      conn.log.warn({ err: cause, bytes: update.length }, 'closing connection: its update could not be validated');
      conn.close(CloseCode.InternalError);
      return;
    }
    if (room.failed || !conn.isOpen) return;
    if (verdict.kind === 'invalid') {
      conn.close(CloseCode.InvalidUpdate, `closing connection: ${verdict.reason}`);
      return;
    }
    settle(room, room.take(conn, verdict.admission, kind === 'update' && verdict.oneClient));
  }

  function receiveInOrder(room: Room, conn: Connection, frame: Uint8Array): undefined | Promise<void> {
    if (!conn.isOpen) return undefined;
    const large = peekLargeUpdate(frame, options.intakeThread.minBytes);
    if (large !== undefined) return receiveLarge(room, conn, large);
    receiveSmall(room, conn, frame);
    return undefined;
  }

  function receive(room: Room, conn: Connection, frame: Uint8Array): void {
    if (!conn.isOpen) return;
    if (!room.intake.run(() => receiveInOrder(room, conn, frame), frame.length)) {
      conn.close(
        CloseCode.RateLimited,
        'closing connection: too many messages wait in this room while a large update is validated',
      );
    }
  }

  function receiveSmall(room: Room, conn: Connection, frame: Uint8Array): void {
    const decoded = decodeClientMessage(frame, options.updateLimits, options.roomLimits.awareness.entriesPerMessage);
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
    keepAlive.stop();
    for (const conn of connections) conn.close(CloseCode.GoingAway, 'relay shutting down');
    await flusher.drain();
  });

  app.addHook('onClose', async () => {
    await flusher.drain();
    await compactor.compactScheduled(options.shutdownCompactionBudgetMs);
    await compactor.close();
    await intakeThread.stop();
    await store.close();
  });

  app.get(`${SYNC_PATH}/*`, { websocket: true }, (socket: WebSocket, request) => {
    const rawPath = (request.raw.url ?? '').split('?')[0]!.slice(SYNC_PATH.length + 1);
    const roomName = parseRoomName(rawPath);
    // A client closed for going over its quota that comes straight back to the room gets what it left.
    // Keyed by the decoded name (at most 512 characters): an entry stays for 10 s after its connection closed.
    const quotaKey = `${addressKey(request.ip)} ${roomName.ok ? roomName.value : ''}`;
    const quota = quotasLeft.take(quotaKey) ?? new ConnectionQuota(options.quota);
    const conn = new Connection(
      socket,
      app.log,
      { room: roomName.ok ? roomName.value : rawPath, conn: request.id },
      { maxBufferedBytes: options.maxBufferedBytes, quota },
    );
    const address = request.ip;
    const admitted = options.connectionsPerAddress.admit(address, socket);
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
    if (!admitted) {
      const { limit } = options.connectionsPerAddress;
      conn.close(CloseCode.TooManyConnections, `closing connection: ${address} already holds ${limit} connections`);
      return;
    }
    const stillOver = quota.stillOver();
    if (stillOver !== undefined) {
      // Logged when it went over; a client retrying in a loop would otherwise write a line per attempt.
      conn.log.debug(`refused: back before its quota refilled (${quota.describe(stillOver)})`);
      conn.close(CloseCode.RateLimited);
      conn.stopReading();
      quotasLeft.leave(quotaKey, quota);
      return;
    }
    keepAlive.watch(socket, conn);
    if (!roomName.ok) {
      conn.close(CloseCode.InvalidRoomName, `closing connection: ${roomName.error}`);
      return;
    }
    const name = roomName.value;
    connections.add(conn);
    // Frames wait here while the token is checked and the room loads.
    let queued: Uint8Array[] | undefined = [];
    let room: Room | undefined;
    let unwatch: (() => void) | undefined;

    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!conn.isOpen) {
        conn.stopReading();
        return;
      }
      if (!isBinary) {
        conn.close(CloseCode.UnsupportedData, 'closing connection: text frame received');
        return;
      }
      const frame = toBytes(data);
      const over = quota.takeFrame(frame.length);
      if (over !== undefined) {
        conn.close(CloseCode.RateLimited, `closing connection: ${quota.describe(over)}`);
        return;
      }
      if (queued || room === undefined) queued?.push(frame);
      else receive(room, conn, frame);
    });
    socket.on('close', () => {
      conn.markClosed();
      unwatch?.();
      quotasLeft.leave(quotaKey, quota);
      connections.delete(conn);
      if (room !== undefined) {
        settle(room, room.leave(conn));
        rooms.release(room);
      }
      if (conn.readOnly !== undefined && conn.readOnly.dropped > 0) {
        conn.log.info(
          { droppedUpdates: conn.readOnly.dropped },
          'view-only connection closed; its updates were dropped',
        );
      }
      conn.log.debug('connection closed');
    });

    // The token is checked before anything of the room is read: a stranger costs no disk read.
    options.gate
      .check(tokenOf(request), name)
      .then((checked) => {
        if (!conn.isOpen) return;
        if (!checked.ok) {
          const { code, reason, detail } = checked.error;
          conn.close(code, `closing connection: ${reason} (${detail})`, reason);
          return;
        }
        const { scope, grant } = checked.value;
        if (scope === 'view') conn.readOnly = { dropped: 0 };
        if (grant !== undefined) {
          unwatch = options.liveGrants.watch(grant, (reason) =>
            conn.close(CloseCode.Forbidden, `closing connection: ${reason}`, reason),
          );
        }
        if (!conn.isOpen) return;
        join(rooms.acquire(name));
      })
      .catch((cause: unknown) => {
        conn.log.error({ err: cause }, 'closing connection: its access could not be checked');
        conn.close(CloseCode.StorageUnavailable, 'access could not be checked');
      });

    function join(acquired: Room): void {
      room = acquired;
      acquired.ready
        .then(
          () => {
            const pending = queued ?? [];
            queued = undefined;
            if (!conn.isOpen) return;
            acquired.join(conn);
            conn.log.debug('connection joined');
            for (const frame of pending) receive(acquired, conn, frame);
          },
          (cause: unknown) => {
            conn.close(CloseCode.StorageUnavailable, `document could not be loaded: ${(cause as Error).message}`);
          },
        )
        .catch((cause: unknown) => {
          // A fault while joining costs this room, not the process: its clients reconnect and reload it.
          app.log.error({ err: cause, room: acquired.name }, 'fault while joining a room; closing the room');
          conn.close(CloseCode.InternalError);
          acquired.fail(CloseCode.InternalError);
        });
    }
  });
}

/** The y-websocket compatible endpoint at `/yjs/<room>`: sync, awareness, persistence and compaction. */
export default fp(syncPlugin, { name: 'meshpad-sync', fastify: '5.x', dependencies: ['@fastify/websocket'] });
