import type { MessageError } from './client-message.js';
import { MAX_SIGNALING_DEPTH, MAX_SIGNALING_TOPIC_LENGTH } from './limits.js';
import { err, ok, type Result } from './result.js';

/** A message from a y-webrtc signaling client, as y-webrtc's own signaling server understands it. */
export type SignalingMessage =
  | { readonly type: 'subscribe'; readonly topics: readonly string[] }
  | { readonly type: 'unsubscribe'; readonly topics: readonly string[] }
  | { readonly type: 'publish'; readonly topic: string; readonly message: Record<string, unknown> }
  | { readonly type: 'ping' }
  | { readonly type: 'unknown'; readonly name: string };

const malformed = (message: string) => err<MessageError>({ code: 'MalformedMessage', message });

function readTopics(value: unknown): Result<string[], MessageError> {
  if (value === undefined) return ok([]);
  if (!Array.isArray(value)) return malformed('"topics" must be an array of strings');
  for (const topic of value) {
    if (typeof topic !== 'string' || topic.length === 0 || topic.length > MAX_SIGNALING_TOPIC_LENGTH) {
      return malformed(`every topic must be a string of 1 to ${MAX_SIGNALING_TOPIC_LENGTH} characters`);
    }
  }
  return ok(value as string[]);
}

/** Whether `value` nests arrays and objects more than `limit` levels deep; recurses at most `limit` levels. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  for (const child of Object.values(value)) if (nestsDeeperThan(child, limit - 1)) return true;
  return false;
}

/**
 * Decodes one signaling frame (JSON text). Unknown message types decode as `unknown` so that newer
 * clients keep working; anything that is not a JSON object with a string `type`, has fields of the
 * wrong type or nests too deep to encode again, is an error. Never throws.
 */
export function decodeSignalingMessage(text: string): Result<SignalingMessage, MessageError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return malformed('the message is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return malformed('the message must be a JSON object');
  }
  if (nestsDeeperThan(parsed, MAX_SIGNALING_DEPTH)) {
    return malformed(`the message nests more than ${MAX_SIGNALING_DEPTH} levels deep`);
  }
  const message = parsed as Record<string, unknown>;
  switch (message.type) {
    case 'subscribe':
    case 'unsubscribe': {
      const topics = readTopics(message.topics);
      return topics.ok ? ok({ type: message.type, topics: topics.value }) : topics;
    }
    case 'publish': {
      const topic = message.topic;
      if (typeof topic !== 'string' || topic.length === 0 || topic.length > MAX_SIGNALING_TOPIC_LENGTH) {
        return malformed(`"topic" must be a string of 1 to ${MAX_SIGNALING_TOPIC_LENGTH} characters`);
      }
      return ok({ type: 'publish', topic, message });
    }
    case 'ping':
      return ok({ type: 'ping' });
    default:
      return typeof message.type === 'string'
        ? ok({ type: 'unknown', name: message.type.slice(0, 64) })
        : malformed('"type" must be a string');
  }
}
