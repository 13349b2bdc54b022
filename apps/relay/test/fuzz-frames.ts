import {
  DEFAULT_AWARENESS_LIMITS,
  decodeClientMessage,
  decodeSignalingMessage,
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  encodeQueryAwareness,
  encodeSaveRequest,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  MAX_SIGNALING_MESSAGE_BYTES,
  MAX_SIGNALING_TOPICS,
} from '@meshpad/protocol';
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { deleteSetBomb, gcRanges, itemUpdate, structBomb } from './hostile-updates.js';

/** How a fuzz frame was made; the run reports how many of each the relay read. */
export type FrameKind =
  | 'well-formed'
  | 'random'
  | 'truncated'
  | 'bit-flip'
  | 'insertion'
  | 'deletion'
  | 'huge-length'
  | 'oversized'
  | 'text'
  | 'binary'
  | 'wild-update'
  | 'odd-awareness'
  | 'mutated-json'
  | 'invalid-json'
  | 'huge-topics';

export interface FuzzFrame {
  readonly kind: FrameKind;
  /** A string is sent as a text frame. */
  readonly data: Uint8Array | string;
}

/**
 * What one fuzz connection sends: `body`, frames the relay should read without closing the connection
 * (by the same decoder it uses), then `terminal`, one it should close the connection for.
 */
export interface ConnectionPlan {
  readonly seed: number;
  readonly room: string;
  readonly body: readonly FuzzFrame[];
  readonly terminal: FuzzFrame | undefined;
}

const HUGE_NUMBERS = [2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 0xffffffff * 128] as const;

/** A number from small to the largest a varUint can carry, edge values often. */
function wildNumber(gen: prng.PRNG): number {
  switch (prng.int32(gen, 0, 3)) {
    case 0:
      return prng.int32(gen, 0, 16);
    case 1:
      return prng.oneOf(gen, [...HUGE_NUMBERS]);
    default:
      return prng.uint53(gen, 0, Number.MAX_SAFE_INTEGER);
  }
}

function varUint(value: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, value);
  return encoding.toUint8Array(encoder);
}

const concat = (...parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

/** JSON that is valid but odd: deep, long, numbers past float range, escapes, removal look-alikes. */
function oddJson(gen: prng.PRNG): string {
  switch (prng.int32(gen, 0, 9)) {
    case 0: {
      const depth = prng.int32(gen, 1, 8_000);
      return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    }
    case 1:
      return JSON.stringify({
        user: { name: 'x'.repeat(prng.int32(gen, 0, 2 * DEFAULT_AWARENESS_LIMITS.stateBytes)) },
      });
    case 2:
      return prng.oneOf(gen, [' null', 'null ', '\nnull', '0', '""', '[]', 'true', '1e400', '-0', '{}']);
    case 3:
      return '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}';
    case 4:
      return JSON.stringify({ name: prng.utf16String(gen, 40), cursor: { anchor: wildNumber(gen) } });
    case 5:
      return '"\\ud800\\udfff\\ud800"';
    case 6:
      return JSON.stringify(
        Object.fromEntries(Array.from({ length: prng.int32(gen, 0, 300) }, (_, i) => [`k${i}`, i])),
      );
    default:
      return JSON.stringify({ user: { name: prng.word(gen, 0, 12), color: `#${prng.int32(gen, 0, 0xffffff)}` } });
  }
}

function awarenessFrame(gen: prng.PRNG): Uint8Array {
  const entries = Array.from({ length: prng.int32(gen, 0, 4) }, () => ({
    clientID: wildNumber(gen),
    clock: wildNumber(gen),
    state: prng.int32(gen, 0, 4) === 0 ? 'null' : oddJson(gen),
  }));
  return encodeAwarenessMessage(encodeAwarenessUpdate(entries));
}

function randomStateVector(gen: prng.PRNG): Uint8Array {
  const clocks = new Map<number, number>();
  for (let i = prng.int32(gen, 0, 4); i > 0; i--) clocks.set(wildNumber(gen), wildNumber(gen));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clocks.size);
  for (const [client, clock] of clocks) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
}

/** Updates a hostile client writes by hand (hostile-updates.ts), with wild client ids and clocks. */
function wildUpdate(gen: prng.PRNG): Uint8Array {
  const id = () => Y.createID(wildNumber(gen) % 2 ** 32, wildNumber(gen));
  switch (prng.int32(gen, 0, 4)) {
    case 0:
      return itemUpdate({ client: wildNumber(gen) % 2 ** 32, clock: wildNumber(gen), origin: id() });
    case 1:
      return itemUpdate({ client: wildNumber(gen) % 2 ** 32, clock: wildNumber(gen), right: id() });
    case 2:
      return gcRanges(prng.int32(gen, 1, 3), prng.int32(gen, 1, 2 ** 30), wildNumber(gen) % 2 ** 32);
    case 3:
      return deleteSetBomb(wildNumber(gen) % 2 ** 32, prng.int32(gen, 1, 64));
    default:
      return structBomb(prng.int32(gen, 1, 3), wildNumber(gen) % 2 ** 31);
  }
}

/** Flips, inserts or deletes a few bytes, or cuts the frame short. */
function mutate(gen: prng.PRNG, frame: Uint8Array): FuzzFrame {
  const bytes = [...frame];
  const at = () => prng.int32(gen, 0, Math.max(0, bytes.length - 1));
  const kind = prng.oneOf(gen, ['bit-flip', 'insertion', 'deletion', 'truncated'] as const);
  for (let n = prng.int32(gen, 1, 3); n > 0; n--) {
    if (kind === 'bit-flip' && bytes.length > 0) bytes[at()]! ^= 1 << prng.int32(gen, 0, 7);
    if (kind === 'insertion') bytes.splice(at(), 0, prng.int32(gen, 0, 255));
    if (kind === 'deletion') bytes.splice(at(), 1);
  }
  const data = Uint8Array.from(kind === 'truncated' ? bytes.slice(0, prng.int32(gen, 0, bytes.length - 1)) : bytes);
  return { kind, data };
}

/** Makes the frames of `/yjs` fuzz connections; one per connection, as each edits its own document. */
class YjsFrameSource {
  private readonly doc = new Y.Doc();
  private readonly text = this.doc.getText('content');
  private edits: Uint8Array[] = [];

  constructor(
    private readonly gen: prng.PRNG,
    private readonly maxMessageBytes: number,
    /** Whether this connection edits: each that does adds a client id to the room for good, which slows the relay. */
    private readonly editor: boolean,
  ) {
    this.doc.on('update', (update: Uint8Array) => this.edits.push(update));
  }

  /** A well-formed frame of every type a client sends; `edits: false` leaves out new edits. */
  private valid(edits = true): Uint8Array {
    const gen = this.gen;
    // Sync step 1 is rare: the relay answers a random state vector with about the whole document.
    const pick = prng.int32(gen, 0, edits && this.editor ? 39 : 21);
    if (pick === 0) return encodeSyncStep1(randomStateVector(gen));
    if (pick <= 12) return awarenessFrame(gen);
    if (pick <= 15) return encodeQueryAwareness();
    if (pick <= 19) return encodeSaveRequest(wildNumber(gen));
    if (pick <= 21) return Uint8Array.of(2, 0);
    // Small edits, deletions as often as inserts, so the shared documents stay small.
    const length = this.text.length;
    if (length > 0 && prng.bool(gen)) {
      const from = prng.int32(gen, 0, length - 1);
      this.text.delete(from, prng.int32(gen, 1, Math.min(8, length - from)));
    } else {
      this.text.insert(prng.int32(gen, 0, length), prng.word(gen, 1, 6));
    }
    const update = Y.mergeUpdates(this.edits.splice(0));
    return prng.bool(gen) ? encodeSyncUpdate(update) : encodeSyncStep2(update);
  }

  /** A frame for one connection, made its own way; its valid edits each build on the one before. */
  next(): FuzzFrame {
    const gen = this.gen;
    switch (prng.int32(gen, 0, 19)) {
      case 0:
        return { kind: 'random', data: prng.uint8Array(gen, prng.int32(gen, 0, 48)) };
      case 1:
        return {
          kind: 'huge-length',
          data: concat(
            prng.oneOf(gen, [Uint8Array.of(0, 0), Uint8Array.of(0, 1), Uint8Array.of(0, 2), Uint8Array.of(1)]),
            varUint(wildNumber(gen)),
            prng.uint8Array(gen, prng.int32(gen, 0, 16)),
          ),
        };
      case 2:
        return {
          kind: 'oversized',
          data: concat(Uint8Array.of(0, 2), new Uint8Array(this.maxMessageBytes + prng.int32(gen, 0, 64))),
        };
      case 3:
        return { kind: 'text', data: prng.oneOf(gen, ['', 'hello', '\u0000', JSON.stringify({ type: 'subscribe' })]) };
      case 4:
      case 5:
        return {
          kind: 'wild-update',
          data: prng.bool(gen) ? encodeSyncUpdate(wildUpdate(gen)) : encodeSyncStep2(wildUpdate(gen)),
        };
      case 6:
      case 7:
        return { kind: 'odd-awareness', data: awarenessFrame(gen) };
      case 8:
      case 9:
      case 10:
      case 11:
      case 12:
      case 13:
      case 14:
        // Not this source's edits: a mutated edit can carry a right origin left of its origin, and Yjs then
        // places it differently depending on how updates arrive, so the relay's log replayed in order (as
        // compaction does) no longer matches what clients hold. Found by this fuzzer, not fixed yet: the
        // expected failure in update-validation.test.ts. Mutating them here would fail every run.
        return mutate(gen, this.valid(false));
      default:
        return { kind: 'well-formed', data: this.valid() };
    }
  }
}

/**
 * Whether the relay must read `frame` without closing the connection, judged by the decoder the relay
 * itself uses (a frame can still close it for what it asks: an update the room refuses, say).
 */
function yjsFrameIsReadable(frame: FuzzFrame, maxMessageBytes: number): boolean {
  if (typeof frame.data === 'string' || frame.data.length > maxMessageBytes) return false;
  return decodeClientMessage(frame.data).ok;
}

/** The frames of one `/yjs` fuzz connection, from its seed alone, so a failing one can be replayed. */
export function planYjsConnection(
  seed: number,
  rooms: readonly string[],
  options: { maxMessageBytes: number; maxBody: number },
): ConnectionPlan {
  const gen = prng.create(seed);
  const room = prng.oneOf(gen, [...rooms]);
  const source = new YjsFrameSource(gen, options.maxMessageBytes, prng.int32(gen, 0, 3) === 0);
  const length = prng.int32(gen, 0, options.maxBody);
  const body: FuzzFrame[] = [];
  // Draw until a frame the relay must close for, which ends the connection; readable ones go before it.
  for (let drawn = 0; drawn < 4 * options.maxBody + 8; drawn++) {
    const frame = source.next();
    if (!yjsFrameIsReadable(frame, options.maxMessageBytes)) {
      if (body.length >= length) return { seed, room, body, terminal: frame };
    } else if (body.length < length) {
      body.push(frame);
    }
  }
  return { seed, room, body, terminal: undefined };
}

function signalingTopic(gen: prng.PRNG): string {
  return prng.oneOf(gen, ['room-a', 'room-b', '__proto__', 'constructor', 'x'.repeat(512), prng.utf16String(gen, 20)]);
}

/**
 * A y-webrtc signaling message as JSON text: subscribe, unsubscribe, publish, ping, or a type nobody
 * knows. Written as text, since the odd JSON it carries can be too deep for `JSON.stringify`.
 */
function signalingMessage(gen: prng.PRNG, subscribed: string[]): string {
  switch (prng.int32(gen, 0, 5)) {
    case 0: {
      const topics = Array.from({ length: prng.int32(gen, 0, 3) }, () => signalingTopic(gen));
      subscribed.push(...topics);
      return JSON.stringify({ type: 'subscribe', topics });
    }
    case 1:
      return JSON.stringify({ type: 'unsubscribe', topics: subscribed.splice(0, prng.int32(gen, 0, 2)) });
    case 2:
    case 3: {
      const topic = subscribed.length > 0 ? prng.oneOf(gen, subscribed) : signalingTopic(gen);
      const data = `{"type":"announce","from":${JSON.stringify(prng.word(gen))},"nested":${oddJson(gen)}}`;
      return `{"type":"publish","topic":${JSON.stringify(topic)},"clients":"ignored","data":${data}}`;
    }
    case 4:
      return '{"type":"ping"}';
    default:
      return JSON.stringify({ type: prng.oneOf(gen, ['pong', 'toString', '', 'x'.repeat(200)]), topics: 3 });
  }
}

function mutateText(gen: prng.PRNG, text: string): string {
  const at = prng.int32(gen, 0, text.length);
  switch (prng.int32(gen, 0, 2)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return `${text.slice(0, at)}${prng.oneOf(gen, ['"', ',', '{', ']', '\\', 'null', '1e999', '\u0000'])}${text.slice(at)}`;
    default:
      return `${text.slice(0, at)}${text.slice(at + prng.int32(gen, 1, 4))}`;
  }
}

/** A `/signal` frame, made one way or another. */
function signalingFrame(gen: prng.PRNG, subscribed: string[]): FuzzFrame {
  const message = () => signalingMessage(gen, subscribed);
  switch (prng.int32(gen, 0, 9)) {
    case 0:
      return { kind: 'mutated-json', data: mutateText(gen, message()) };
    case 1:
      return {
        kind: 'invalid-json',
        data: prng.oneOf(gen, ['', 'null', '[]', '"subscribe"', '{"type":1}', '{"type":"subscribe","topics":"a"}']),
      };
    case 2:
      return { kind: 'binary', data: prng.bool(gen) ? Buffer.from(message()) : prng.uint8Array(gen, 24) };
    case 3:
      return {
        kind: 'huge-topics',
        data: JSON.stringify({
          type: 'subscribe',
          topics: Array.from({ length: prng.int32(gen, MAX_SIGNALING_TOPICS, 5_000) }, (_, i) => `t${i}`),
        }),
      };
    case 4:
      return {
        kind: 'oversized',
        data: JSON.stringify({ type: 'ping', pad: 'x'.repeat(MAX_SIGNALING_MESSAGE_BYTES) }),
      };
    default:
      return { kind: 'well-formed', data: message() };
  }
}

const signalingText = (frame: FuzzFrame): string =>
  typeof frame.data === 'string' ? frame.data : Buffer.from(frame.data).toString('utf8');

/** Whether the relay must read a `/signal` frame without closing the connection (topics counted as it does). */
function signalingFrameIsReadable(frame: FuzzFrame, topics: Set<string>): boolean {
  const size = typeof frame.data === 'string' ? Buffer.byteLength(frame.data) : frame.data.length;
  if (size > MAX_SIGNALING_MESSAGE_BYTES) return false;
  const decoded = decodeSignalingMessage(signalingText(frame));
  if (!decoded.ok) return false;
  const message = decoded.value;
  if (message.type === 'unsubscribe') for (const topic of message.topics) topics.delete(topic);
  if (message.type !== 'subscribe') return true;
  const after = new Set([...topics, ...message.topics]);
  if (after.size > MAX_SIGNALING_TOPICS) return false;
  for (const topic of message.topics) topics.add(topic);
  return true;
}

/** The frames of one `/signal` fuzz connection, from its seed alone (at most `maxBody` before the last). */
export function planSignalingConnection(seed: number, options: { maxBody: number }): ConnectionPlan {
  const gen = prng.create(seed);
  const subscribed: string[] = [];
  const topics = new Set<string>();
  const length = prng.int32(gen, 0, options.maxBody);
  const body: FuzzFrame[] = [];
  for (let drawn = 0; drawn < 4 * options.maxBody + 8; drawn++) {
    const frame = signalingFrame(gen, subscribed);
    // Judged on a copy: a frame that is not sent must not count against the topics.
    const readable = signalingFrameIsReadable(frame, body.length < length ? topics : new Set(topics));
    if (!readable) {
      if (body.length >= length) return { seed, room: 'signal', body, terminal: frame };
    } else if (body.length < length) {
      body.push(frame);
    }
  }
  return { seed, room: 'signal', body, terminal: undefined };
}
