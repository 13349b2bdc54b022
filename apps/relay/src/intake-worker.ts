/**
 * The intake thread's entry point (run from `dist/`): screens a large document's stored updates as it
 * is loaded, and decodes a large update and judges it against the part of the room's index the event
 * loop sends. An update decoded to be consulted is kept for the step that admits it (a few at most:
 * the event loop judges one update per room at a time).
 */
import {
  admitUpdate,
  consultedClients,
  type DecodedUpdate,
  DocIndex,
  decodeYjsUpdate,
  screenUpdates,
  writesOneClient,
} from '@meshpad/protocol';
import type { Consultation, IntakeRequest, Screening } from './intake-thread.js';
import { serveRequests } from './worker-thread.js';

/** Updates consulted and not admitted yet, by job; the oldest is dropped past the limit. */
const consulted = new Map<number, { readonly update: Uint8Array; readonly decoded: DecodedUpdate }>();
const MAX_CONSULTED = 64;

serveRequests((request: IntakeRequest) => {
  if (request.step === 'screen') {
    const { quarantined, index } = screenUpdates(request.updates);
    return { quarantined, index: index.toSnapshot() } satisfies Screening;
  }
  if (request.step === 'consult') {
    const decoded = decodeYjsUpdate(request.update, request.limits);
    if (!decoded.ok) return { kind: 'invalid', reason: decoded.error } satisfies Consultation;
    consulted.set(request.job, { update: request.update, decoded: decoded.value });
    if (consulted.size > MAX_CONSULTED) consulted.delete(consulted.keys().next().value!);
    return { kind: 'consults', oneClient: writesOneClient(decoded.value), ...consultedClients(decoded.value) };
  }
  const job = consulted.get(request.job);
  if (job === undefined) throw new Error(`update ${request.job} was not consulted in this thread`);
  consulted.delete(request.job);
  const claimed = new Set(request.claimed);
  return admitUpdate(DocIndex.fromSnapshot(request.index), job.update, job.decoded, (client) => claimed.has(client));
});
