/**
 * The intake thread's entry point (run from `dist/`): screens a large document's stored updates as it
 * is loaded, and decodes a large update and judges it against the part of the room's index the event
 * loop sends. Each step decodes the update again, so the
 * thread keeps nothing between requests.
 */
import { admitUpdate, consultedClients, DocIndex, decodeYjsUpdate, screenUpdates } from '@meshpad/protocol';
import type { Consultation, IntakeRequest, Screening } from './intake-thread.js';
import { serveRequests } from './worker-thread.js';

serveRequests((request: IntakeRequest) => {
  if (request.step === 'screen') {
    const { quarantined, index } = screenUpdates(request.updates);
    return { quarantined, index: index.toSnapshot() } satisfies Screening;
  }
  if (request.step === 'consult') {
    const decoded = decodeYjsUpdate(request.update, request.limits);
    if (!decoded.ok) return { kind: 'invalid', reason: decoded.error } satisfies Consultation;
    const { structs } = decoded.value;
    const oneClient = structs.length > 0 && structs[0]!.id.client === structs[structs.length - 1]!.id.client;
    return { kind: 'consults', oneClient, ...consultedClients(decoded.value) };
  }
  const decoded = decodeYjsUpdate(request.update, request.limits);
  if (!decoded.ok) throw new Error(decoded.error);
  const claimed = new Set(request.claimed);
  return admitUpdate(DocIndex.fromSnapshot(request.index), request.update, decoded.value, (client) =>
    claimed.has(client),
  );
});
