import {
  type Admission,
  DocIndex,
  type DocIndexSnapshot,
  type QuarantinedUpdate,
  type ScreenedUpdates,
  screenUpdates,
  type UpdateLimits,
} from '@meshpad/protocol';
import { WorkerThread, type WorkerThreadOptions } from './worker-thread.js';

export type IntakeRequest =
  | { readonly step: 'screen'; readonly updates: readonly Uint8Array[] }
  | { readonly step: 'consult'; readonly job: number; readonly update: Uint8Array; readonly limits: UpdateLimits }
  | ({ readonly step: 'admit'; readonly job: number } & JudgingContext);

/** What the event loop sends for judging an update: the part of the room's index and the owners it consults. */
export interface JudgingContext {
  readonly index: DocIndexSnapshot;
  /** The consulted clients another connection owns: their new clocks are not taken from this sender. */
  readonly claimed: readonly number[];
}

/** What the first step finds: why the update does not decode, or what of the room's index it needs. */
export type Consultation =
  | { readonly kind: 'invalid'; readonly reason: string }
  | {
      readonly kind: 'consults';
      /** Whether every struct is of one client, as in a local transaction. */
      readonly oneClient: boolean;
      readonly clients: number[];
      readonly deleteClients: number[];
    };

/** What screening a document's stored updates found, as the thread sends it back. */
export interface Screening {
  readonly quarantined: readonly QuarantinedUpdate[];
  readonly index: DocIndexSnapshot;
}

/** How a large update was judged: it does not decode, or its admission (see `admitUpdate`). */
export type LargeUpdateVerdict =
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'judged'; readonly oneClient: boolean; readonly admission: Admission };

/**
 * Decodes and judges large updates in a worker thread: decoding 100,000 structs takes tens of
 * milliseconds and judging them as long again, which on the event loop every other room would wait
 * for. The room's index stays on the event loop; the thread is sent the part of it the update consults.
 */
export class IntakeThread {
  readonly #thread: WorkerThread<IntakeRequest, Screening | Consultation | Admission>;
  #jobs = 0;

  constructor(options: WorkerThreadOptions) {
    // Always the built file: under the test runner this module is TypeScript source, the worker is not.
    this.#thread = new WorkerThread(
      new URL('../dist/intake-worker.js', import.meta.url),
      'validating an update',
      options,
    );
  }

  /**
   * Judges `update` against the room, of which `context` gives the part asked for. The room must not
   * change in between: its caller holds the room's other messages back until this settles. Rejects
   * with `WorkerThreadFailed` when the thread runs out of time or memory.
   */
  async judge(
    update: Uint8Array,
    limits: UpdateLimits,
    context: (clients: readonly number[], deleteClients: readonly number[]) => JudgingContext,
  ): Promise<LargeUpdateVerdict> {
    const job = ++this.#jobs;
    const consultation = (await this.#thread.request({ step: 'consult', job, update, limits })) as Consultation;
    if (consultation.kind === 'invalid') return consultation;
    const { oneClient, clients, deleteClients } = consultation;
    // The thread kept the decoded update: the second step sends only what the room knows.
    const request = { step: 'admit', job, ...context(clients, deleteClients) } as const;
    const admission = (await this.#thread.request(request)) as Admission;
    return { kind: 'judged', oneClient, admission };
  }

  /**
   * Screens a document's stored updates as it is loaded (see `screenUpdates`): in the thread when they
   * add up to `minBytes` or more, since that decodes every one of them.
   */
  async screen(updates: readonly Uint8Array[], minBytes: number): Promise<ScreenedUpdates> {
    const bytes = updates.reduce((sum, update) => sum + update.length, 0);
    if (bytes < minBytes) return screenUpdates(updates);
    const { quarantined, index } = (await this.#thread.request({ step: 'screen', updates })) as Screening;
    const left = new Set(quarantined.map((q) => q.position));
    return {
      kept: updates.filter((_, position) => !left.has(position)),
      quarantined: [...quarantined],
      index: DocIndex.fromSnapshot(index),
    };
  }

  stop(): Promise<void> {
    return this.#thread.stop();
  }
}
