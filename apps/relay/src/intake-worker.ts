/**
 * The intake thread's entry point (run from `dist/`): decodes a large update and judges it against
 * the part of the room's index the event loop sends. Each step decodes the update again, so the
 * thread keeps nothing between requests.
 */
import { admitUpdate, consultedClients, DocIndex, decodeYjsUpdate } from '@meshpad/protocol';
import type { Consultation, IntakeRequest } from './intake-thread.js';
import { serveRequests } from './worker-thread.js';

serveRequests((request: IntakeRequest) => {
  if (request.step === 'consult') {
    const decoded = decodeYjsUpdate(request.update, request.limits);
    if (!decoded.ok) return { kind: 'invalid', reason: decoded.error } satisfies Consultation;
    return { kind: 'consults', structs: decoded.value.structs.length, ...consultedClients(decoded.value) };
  }
  const decoded = decodeYjsUpdate(request.update, request.limits);
  if (!decoded.ok) throw new Error(decoded.error);
  return admitUpdate(DocIndex.fromSnapshot(request.index), request.update, decoded.value);
});
