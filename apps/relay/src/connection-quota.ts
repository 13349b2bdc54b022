import { RateLimiter } from './rate-limiter.js';

/**
 * What a connection's quotas count: frames, their bytes, the Yjs structs and deleted ranges in its updates, and the
 * client ids its updates bring into the document.
 */
export type QuotaKind = 'messages' | 'bytes' | 'structs' | 'clients';

/** A sustained rate, and the most a connection may spend at once after a quiet period. */
export interface QuotaRate {
  readonly perSecond: number;
  readonly burst: number;
}

export type QuotaLimits = Readonly<Record<QuotaKind, QuotaRate>>;

const QUOTA_UNITS: Readonly<Record<QuotaKind, string>> = {
  messages: 'messages',
  bytes: 'bytes',
  structs: 'Yjs structs and deleted ranges',
  clients: 'client ids new to the document',
};

/** Seconds of its sustained rate that a quota lets a connection spend at once. */
export const QUOTA_BURST_SECONDS = 10;

/**
 * The quotas of a `/yjs` connection. A paste or an import is one message, so the byte bucket holds
 * at least two messages of the largest size the relay accepts, the struct bucket two updates of
 * the most structs it accepts (a client back from a long time offline sends its work at once), and the bucket of
 * new client ids two updates of the most client runs it accepts (a document's whole history sent to an empty room).
 */
export function syncQuotaLimits(options: {
  readonly messagesPerSecond: number;
  readonly bytesPerSecond: number;
  readonly structsPerSecond: number;
  readonly newClientsPerSecond: number;
  readonly maxMessageBytes: number;
  readonly maxStructsPerUpdate: number;
  readonly maxClientsPerUpdate: number;
}): QuotaLimits {
  const { messagesPerSecond, bytesPerSecond, structsPerSecond, newClientsPerSecond } = options;
  const burst = (perSecond: number, largest: number) => Math.max(perSecond * QUOTA_BURST_SECONDS, 2 * largest);
  return {
    messages: { perSecond: messagesPerSecond, burst: messagesPerSecond * QUOTA_BURST_SECONDS },
    bytes: { perSecond: bytesPerSecond, burst: burst(bytesPerSecond, options.maxMessageBytes) },
    structs: { perSecond: structsPerSecond, burst: burst(structsPerSecond, options.maxStructsPerUpdate) },
    clients: { perSecond: newClientsPerSecond, burst: burst(newClientsPerSecond, options.maxClientsPerUpdate) },
  };
}

/** One connection's token buckets: what it may send per second, by kind. */
export class ConnectionQuota {
  private readonly buckets: Record<QuotaKind, RateLimiter>;
  private over: QuotaKind | undefined;

  constructor(
    private readonly limits: QuotaLimits,
    now = performance.now(),
  ) {
    this.buckets = {
      messages: new RateLimiter(limits.messages.perSecond, limits.messages.burst, now),
      bytes: new RateLimiter(limits.bytes.perSecond, limits.bytes.burst, now),
      structs: new RateLimiter(limits.structs.perSecond, limits.structs.burst, now),
      clients: new RateLimiter(limits.clients.perSecond, limits.clients.burst, now),
    };
  }

  /** Takes `amount` of `kind`; false when that would go over the quota. */
  take(kind: QuotaKind, amount: number, now = performance.now()): boolean {
    if (this.buckets[kind].take(amount, now)) return true;
    this.over = kind;
    return false;
  }

  /**
   * The quota this connection (or the one that left it) went over, while that bucket holds less than a second of
   * its rate: a client that comes straight back is refused before anything it sends is read, since its first
   * frames would only put it over again.
   */
  stillOver(now = performance.now()): QuotaKind | undefined {
    if (this.over !== undefined && this.buckets[this.over].available(now) >= this.limits[this.over].perSecond) {
      this.over = undefined;
    }
    return this.over;
  }

  /** What is left of `kind` now. */
  available(kind: QuotaKind, now = performance.now()): number {
    return this.buckets[kind].available(now);
  }

  /** Counts one received frame of `bytes`; returns the quota it went over, if any. */
  takeFrame(bytes: number, now = performance.now()): QuotaKind | undefined {
    if (!this.take('messages', 1, now)) return 'messages';
    if (!this.take('bytes', bytes, now)) return 'bytes';
    return undefined;
  }

  /** The quota of `kind` in words, for the log line of a connection closed for going over it. */
  describe(kind: QuotaKind): string {
    const { perSecond, burst } = this.limits[kind];
    return `more than ${perSecond} ${QUOTA_UNITS[kind]} per second (bursts of ${burst})`;
  }
}
