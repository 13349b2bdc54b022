import * as decoding from 'lib0/decoding';
import type { DecodedUpdate } from './admit-update.js';
import { type AwarenessEntry, decodeAwarenessUpdate } from './awareness-update.js';
import type { CloseCodeName } from './close-codes.js';
import { DEFAULT_UPDATE_LIMITS, type UpdateLimits } from './limits.js';
import { MessageType, SyncMessageType } from './message-type.js';
import { err, ok, type Result } from './result.js';
import { checkStateVector, decodeYjsUpdate } from './yjs-payload.js';

/** A decoded message from a y-websocket client. */
export type ClientMessage =
  | { readonly kind: 'sync-step1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'sync-step2' | 'update'; readonly update: Uint8Array; readonly decoded: DecodedUpdate }
  | {
      readonly kind: 'awareness';
      readonly update: Uint8Array;
      readonly entries: readonly AwarenessEntry[];
      /** Whether `entries` leaves out entries of the frame (past the limit the decoder was given). */
      readonly truncated: boolean;
    }
  | { readonly kind: 'query-awareness' }
  | { readonly kind: 'save-request'; readonly seq: number }
  | { readonly kind: 'auth' };

/** Why a client message was rejected, with the close code the relay answers with. */
export interface MessageError {
  readonly code: CloseCodeName;
  readonly message: string;
}

const fail = (code: CloseCodeName, message: string) => err<MessageError>({ code, message });

function readPayload(decoder: decoding.Decoder): Uint8Array {
  const payload = decoding.readVarUint8Array(decoder);
  if (decoding.hasContent(decoder)) throw new RangeError(`${decoder.arr.length - decoder.pos} trailing bytes`);
  return payload;
}

/**
 * Decodes one binary frame from a client, checking every Yjs payload it carries, so that whatever
 * passes can be stored, merged and forwarded safely. Awareness entries past `maxAwarenessEntries` are
 * left out undecoded. Never throws.
 */
export function decodeClientMessage(
  frame: Uint8Array,
  limits: UpdateLimits = DEFAULT_UPDATE_LIMITS,
  maxAwarenessEntries = Number.POSITIVE_INFINITY,
): Result<ClientMessage, MessageError> {
  const decoder = decoding.createDecoder(frame);
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
  } catch {
    return fail('MalformedMessage', 'empty or truncated frame');
  }
  try {
    switch (type) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = readPayload(decoder);
        if (syncType === SyncMessageType.Step1) {
          const checked = checkStateVector(payload);
          return checked.ok ? ok({ kind: 'sync-step1', stateVector: payload }) : fail('InvalidUpdate', checked.error);
        }
        if (syncType === SyncMessageType.Step2 || syncType === SyncMessageType.Update) {
          const decoded = decodeYjsUpdate(payload, limits);
          if (!decoded.ok) return fail('InvalidUpdate', decoded.error);
          const kind = syncType === SyncMessageType.Step2 ? 'sync-step2' : 'update';
          return ok({ kind, update: payload, decoded: decoded.value });
        }
        return fail('UnknownMessageType', `unknown sync message type ${syncType}`);
      }
      case MessageType.Awareness: {
        const update = readPayload(decoder);
        const entries = decodeAwarenessUpdate(update, maxAwarenessEntries);
        if (!entries.ok) return fail('InvalidAwareness', entries.error);
        const truncated = entries.value.length < decoding.readVarUint(decoding.createDecoder(update));
        return ok({ kind: 'awareness', update, entries: entries.value, truncated });
      }
      case MessageType.QueryAwareness:
        return decoding.hasContent(decoder)
          ? fail('MalformedMessage', 'trailing bytes after query-awareness')
          : ok({ kind: 'query-awareness' });
      case MessageType.SaveRequest: {
        const seq = decoding.readVarUint(decoder);
        return decoding.hasContent(decoder)
          ? fail('MalformedMessage', 'trailing bytes after save-request')
          : ok({ kind: 'save-request', seq });
      }
      case MessageType.Auth:
        return ok({ kind: 'auth' });
      default:
        return fail('UnknownMessageType', `unknown message type ${type}`);
    }
  } catch (cause) {
    return fail('MalformedMessage', `frame of type ${type} does not decode: ${(cause as Error).message}`);
  }
}

/**
 * The update carried by `frame` when it is a sync step 2 or update of at least `minBytes`, without
 * decoding the update: for a relay that validates large updates off its event loop. Anything else
 * (smaller, another kind, malformed) gives undefined and goes through `decodeClientMessage`.
 */
export function peekLargeUpdate(
  frame: Uint8Array,
  minBytes: number,
): { readonly kind: 'sync-step2' | 'update'; readonly update: Uint8Array } | undefined {
  if (frame.length < minBytes) return undefined;
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return undefined;
    const syncType = decoding.readVarUint(decoder);
    if (syncType !== SyncMessageType.Step2 && syncType !== SyncMessageType.Update) return undefined;
    const update = readPayload(decoder);
    if (update.length < minBytes) return undefined;
    return { kind: syncType === SyncMessageType.Step2 ? 'sync-step2' : 'update', update };
  } catch {
    return undefined;
  }
}
