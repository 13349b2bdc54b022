import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType, SyncMessageType } from './message-type.js';

function frame(type: number, subType: number | undefined, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (subType !== undefined) encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** A sync step 1 frame: "here is my state vector, send me what I lack". */
export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array =>
  frame(MessageType.Sync, SyncMessageType.Step1, stateVector);

/** A sync step 2 frame: the update that answers a peer's state vector. */
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array =>
  frame(MessageType.Sync, SyncMessageType.Step2, update);

/** An incremental document update frame. */
export const encodeSyncUpdate = (update: Uint8Array): Uint8Array =>
  frame(MessageType.Sync, SyncMessageType.Update, update);

/** An awareness frame carrying an encoded awareness update. */
export const encodeAwarenessMessage = (awarenessUpdate: Uint8Array): Uint8Array =>
  frame(MessageType.Awareness, undefined, awarenessUpdate);

/** A query-awareness frame: asks the other side to send every awareness state it knows. */
export function encodeQueryAwareness(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.QueryAwareness);
  return encoding.toUint8Array(encoder);
}

/** A save request: asks the relay to confirm once everything sent before it is stored. */
export function encodeSaveRequest(seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.SaveRequest);
  encoding.writeVarUint(encoder, seq);
  return encoding.toUint8Array(encoder);
}

/** The relay's answer to save request `seq`: everything sent before it is durably stored. */
export function encodeSaved(seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Saved);
  encoding.writeVarUint(encoder, seq);
  return encoding.toUint8Array(encoder);
}

/** Reads the sequence number of a `Saved` frame, or undefined when the frame is not one. */
export function decodeSaved(frame: Uint8Array): number | undefined {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Saved) return undefined;
    const seq = decoding.readVarUint(decoder);
    return decoding.hasContent(decoder) ? undefined : seq;
  } catch {
    return undefined;
  }
}
