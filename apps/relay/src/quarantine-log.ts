import type { QuarantinedUpdate } from '@meshpad/protocol';
import type { FastifyBaseLogger } from 'fastify';

/** Bytes of a quarantined update written to the log, so an operator can recover it. */
const MAX_LOGGED_QUARANTINE_BYTES = 64 * 1024;

/** Logs stored updates left out of a document, one line each, with their bytes for recovery. */
export function logQuarantined(log: FastifyBaseLogger, room: string, quarantined: readonly QuarantinedUpdate[]): void {
  for (const q of quarantined) {
    log.warn(
      {
        room,
        position: q.position,
        bytes: q.update.length,
        reason: q.reason,
        base64: Buffer.from(q.update.subarray(0, MAX_LOGGED_QUARANTINE_BYTES)).toString('base64'),
      },
      'stored update quarantined: it cannot integrate into the document, so the document opens without it and the next compaction removes it',
    );
  }
}
