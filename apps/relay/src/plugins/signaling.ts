import {
  CloseCode,
  decodeSignalingMessage,
  MAX_SIGNALING_MESSAGE_BYTES,
  MAX_SIGNALING_TOPICS,
  SIGNALING_PATH,
  SIGNALING_PING_INTERVAL_MS,
  SIGNALING_RATE,
  type SignalingMessage,
} from '@meshpad/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RawData, WebSocket } from 'ws';
import type { AccessGate } from '../access/access-gate.js';
import type { Grant } from '../access/grant.js';
import type { LiveGrants } from '../access/live-grants.js';
import { tokenOf } from '../access/token-transport.js';
import { Connection } from '../connection.js';
import { addressKey, type ConnectionsPerAddress } from '../connections-per-address.js';
import { QuotaCarryOver } from '../quota-carry-over.js';
import { RateLimiter } from '../rate-limiter.js';
import { releaseUpgradeRequest } from '../upgrade-request.js';

export interface SignalingPluginOptions {
  /** Unsent bytes past which a subscriber is closed as a slow reader rather than buffered for. */
  readonly maxBufferedBytes: number;
  /** Shared with `/yjs`. */
  readonly connectionsPerAddress: ConnectionsPerAddress;
  readonly gate: AccessGate;
  readonly liveGrants: LiveGrants;
}

/** Prefix of Meshpad's mesh topics: `meshpad:<docId>` or `meshpad:<docId>:<fingerprint>` (PROTOCOL.md). */
const TOPIC_PREFIX = 'meshpad:';

/** Whether a token for `room` grants the mesh topic `topic`. */
export function grantsTopic(room: string, topic: string): boolean {
  const own = `${TOPIC_PREFIX}${room}`;
  return topic === own || (topic.startsWith(`${own}:`) && !topic.slice(own.length + 1).includes(':'));
}

interface Peer {
  readonly conn: Connection;
  readonly socket: WebSocket;
  readonly topics: Set<string>;
  readonly limiter: RateLimiter;
  /** The token's grant: only its room's topics are served. Undefined without a token in open mode: all are. */
  readonly grant: Grant | undefined;
  alive: boolean;
}

/** Grants of upgrade requests, checked before the upgrade is accepted. */
const grants = new WeakMap<object, Grant | undefined>();

declare module 'fastify' {
  interface FastifyInstance {
    /** Subscribers per topic of the signaling endpoint. */
    signalingTopics: ReadonlyMap<string, ReadonlySet<unknown>>;
  }
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function toText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

/**
 * `/signal`: a y-webrtc compatible signaling server (subscribe, unsubscribe, publish to a topic's
 * subscribers, ping). Unlike y-webrtc's own, bad input closes only that connection, topics per
 * connection and message rates are bounded, and only a topic's subscribers may publish to it.
 */
async function signalingPlugin(app: FastifyInstance, options: SignalingPluginOptions): Promise<void> {
  const topics = new Map<string, Set<Peer>>();
  const peers = new Set<Peer>();
  const limitersLeft = new QuotaCarryOver<RateLimiter>((SIGNALING_RATE.burst / SIGNALING_RATE.perSecond) * 1000);
  app.decorate('signalingTopics', topics);

  // One timer for all connections: ping each, and drop those that did not answer the last ping.
  const keepAlive = setInterval(() => {
    for (const peer of peers) {
      if (!peer.alive) {
        peer.conn.log.info('signaling peer missed a ping; dropping it');
        peer.socket.terminate();
        continue;
      }
      peer.alive = false;
      peer.socket.ping();
    }
  }, SIGNALING_PING_INTERVAL_MS);
  keepAlive.unref();

  app.addHook('preClose', async () => {
    clearInterval(keepAlive);
    for (const peer of peers) peer.conn.close(CloseCode.GoingAway);
  });

  function unsubscribe(peer: Peer, topic: string): void {
    peer.topics.delete(topic);
    const subscribers = topics.get(topic);
    if (subscribers === undefined) return;
    subscribers.delete(peer);
    if (subscribers.size === 0) topics.delete(topic);
  }

  function mayUse(peer: Peer, topic: string): boolean {
    return peer.grant === undefined || grantsTopic(peer.grant.room, topic);
  }

  function handle(peer: Peer, message: SignalingMessage): void {
    switch (message.type) {
      case 'subscribe':
        for (const topic of message.topics) {
          // Ignored silently: y-webrtc subscribes every signaling socket to every room open in the page.
          if (peer.topics.has(topic) || !mayUse(peer, topic)) continue;
          if (peer.topics.size >= MAX_SIGNALING_TOPICS) {
            peer.conn.close(CloseCode.TooManyTopics, `closing connection: more than ${MAX_SIGNALING_TOPICS} topics`);
            return;
          }
          peer.topics.add(topic);
          let subscribers = topics.get(topic);
          if (subscribers === undefined) {
            subscribers = new Set();
            topics.set(topic, subscribers);
          }
          subscribers.add(peer);
        }
        return;
      case 'unsubscribe':
        for (const topic of message.topics) unsubscribe(peer, topic);
        return;
      case 'publish': {
        // Only a subscriber may publish (y-webrtc subscribes to a room before it announces itself there): anyone else
        // could send signals into a room whose answers it never sees.
        if (!peer.topics.has(message.topic)) {
          peer.conn.log.debug(
            { topic: message.topic },
            'ignoring a publish to a topic this connection has not subscribed to',
          );
          return;
        }
        const subscribers = topics.get(message.topic);
        if (subscribers === undefined) return;
        const text = JSON.stringify({ ...message.message, clients: subscribers.size });
        for (const subscriber of subscribers) subscriber.conn.sendText(text);
        return;
      }
      case 'ping':
        peer.conn.sendText('{"type":"pong"}');
        return;
      case 'unknown':
        peer.conn.log.debug({ messageType: message.name }, 'ignoring unknown signaling message');
        return;
    }
  }

  // Refused before the upgrade, with HTTP 401 or 403: y-webrtc reconnects at once whatever it is told.
  const checkToken = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = tokenOf(request);
    if (token === undefined && options.gate.mode === 'open') {
      grants.set(request.raw, undefined);
      return;
    }
    const checked = await options.gate.check(token, undefined, 'edit');
    if (!checked.ok) {
      request.log.info(
        { status: checked.error.status },
        `signaling refused: ${checked.error.reason} (${checked.error.detail})`,
      );
      await reply.code(checked.error.status).send({ error: checked.error.reason });
      return;
    }
    grants.set(request.raw, checked.value.grant);
  };

  app.get(SIGNALING_PATH, { websocket: true, preValidation: checkToken }, (socket: WebSocket, request) => {
    const conn = new Connection(
      socket,
      app.log,
      { signaling: request.id },
      { maxBufferedBytes: options.maxBufferedBytes },
    );
    const address = request.ip;
    const admitted = options.connectionsPerAddress.admit(address, socket);
    releaseUpgradeRequest(socket, request);
    socket.on('error', (error) => conn.log.warn({ err: error }, 'signaling WebSocket error'));
    if (!admitted) {
      const { limit } = options.connectionsPerAddress;
      conn.close(CloseCode.TooManyConnections, `closing connection: ${address} already holds ${limit} connections`);
      return;
    }
    // Reconnecting does not refill the message rate (y-webrtc reconnects at once when closed).
    const limiterKey = addressKey(address);
    const peer: Peer = {
      conn,
      socket,
      topics: new Set(),
      limiter: limitersLeft.take(limiterKey) ?? new RateLimiter(SIGNALING_RATE.perSecond, SIGNALING_RATE.burst),
      grant: grants.get(request.raw),
      alive: true,
    };
    peers.add(peer);
    const unwatch =
      peer.grant === undefined
        ? undefined
        : options.liveGrants.watch(peer.grant, (reason) =>
            conn.close(CloseCode.Forbidden, `closing connection: ${reason}`, reason),
          );
    socket.on('pong', () => {
      peer.alive = true;
    });
    socket.on('message', (data: RawData) => {
      if (!peer.conn.isOpen) {
        peer.conn.stopReading();
        return;
      }
      if (rawLength(data) > MAX_SIGNALING_MESSAGE_BYTES) {
        peer.conn.close(
          CloseCode.MessageTooBig,
          `closing connection: signaling message over ${MAX_SIGNALING_MESSAGE_BYTES} bytes`,
        );
        return;
      }
      if (!peer.limiter.take()) {
        peer.conn.close(
          CloseCode.RateLimited,
          `closing connection: more than ${SIGNALING_RATE.perSecond} messages/s (burst ${SIGNALING_RATE.burst})`,
        );
        return;
      }
      const decoded = decodeSignalingMessage(toText(data));
      if (!decoded.ok) {
        peer.conn.close(CloseCode[decoded.error.code], `closing connection: ${decoded.error.message}`);
        return;
      }
      try {
        handle(peer, decoded.value);
      } catch (cause) {
        // A fault handling one message costs its sender the connection, not every peer the process.
        peer.conn.log.error({ err: cause }, 'unexpected fault handling a signaling message');
        peer.conn.close(CloseCode.InternalError);
      }
    });

    socket.on('close', () => {
      peer.conn.markClosed();
      peers.delete(peer);
      unwatch?.();
      limitersLeft.leave(limiterKey, peer.limiter);
      for (const topic of [...peer.topics]) unsubscribe(peer, topic);
    });
  });
}

export default fp(signalingPlugin, { name: 'meshpad-signaling', fastify: '5.x' });
