import type { Admission, DocIndexSnapshot, UpdateLimits } from '@meshpad/protocol';
import { WorkerThread, type WorkerThreadOptions } from './worker-thread.js';

export type IntakeRequest =
  | { readonly step: 'consult'; readonly update: Uint8Array; readonly limits: UpdateLimits }
  | {
      readonly step: 'admit';
      readonly update: Uint8Array;
      readonly limits: UpdateLimits;
      readonly index: DocIndexSnapshot;
    };

/** What the first step finds: why the update does not decode, or what of the room's index it needs. */
export type Consultation =
  | { readonly kind: 'invalid'; readonly reason: string }
  | {
      readonly kind: 'consults';
      readonly structs: number;
      readonly clients: number[];
      readonly deleteClients: number[];
    };

/** How a large update was judged: it does not decode, or its admission (see `admitUpdate`). */
export type LargeUpdateVerdict =
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'judged'; readonly structs: number; readonly admission: Admission };

/**
 * Decodes and judges large updates in a worker thread: decoding 100,000 structs takes tens of
 * milliseconds and judging them as long again, which on the event loop every other room would wait
 * for. The room's index stays on the event loop; the thread is sent the part of it the update consults.
 */
export class IntakeThread {
  readonly #thread: WorkerThread<IntakeRequest, Consultation | Admission>;

  constructor(options: WorkerThreadOptions) {
    // Always the built file: under the test runner this module is TypeScript source, the worker is not.
    this.#thread = new WorkerThread(
      new URL('../dist/intake-worker.js', import.meta.url),
      'validating an update',
      options,
    );
  }

  /**
   * Judges `update` against the room's index, of which `snapshot` gives the part asked for. The room
   * must not change in between: its caller holds the room's other messages back until this settles.
   * Rejects with `WorkerThreadFailed` when the thread runs out of time or memory.
   */
  async judge(
    update: Uint8Array,
    limits: UpdateLimits,
    snapshot: (clients: readonly number[], deleteClients: readonly number[]) => DocIndexSnapshot,
  ): Promise<LargeUpdateVerdict> {
    const consultation = (await this.#thread.request({ step: 'consult', update, limits })) as Consultation;
    if (consultation.kind === 'invalid') return consultation;
    const index = snapshot(consultation.clients, consultation.deleteClients);
    const admission = (await this.#thread.request({ step: 'admit', update, limits, index })) as Admission;
    return { kind: 'judged', structs: consultation.structs, admission };
  }

  stop(): Promise<void> {
    return this.#thread.stop();
  }
}
