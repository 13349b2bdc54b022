import { ClockDriftError } from './errors.js';
import { assertReplicaId, type ReplicaId } from './replica-id.js';

/**
 * A hybrid logical clock reading: wall-clock milliseconds, a logical counter that orders events
 * within (or behind) one millisecond, and the replica id as the final tie-break.
 */
export interface HlcTimestamp {
  readonly wall: number;
  readonly logical: number;
  readonly replica: ReplicaId;
}

/** Options of a {@link HybridLogicalClock}. */
export interface HlcOptions {
  /** Physical time in milliseconds; defaults to `Date.now`. */
  readonly now?: () => number;
  /** How far (ms) a remote timestamp may run ahead of physical time before it is rejected. */
  readonly maxDrift?: number;
}

/** The default drift bound: one minute. */
export const DEFAULT_MAX_DRIFT = 60_000;

/**
 * The largest remote logical counter a clock follows. Real counters reset whenever wall time
 * advances; following an absurd one would make every later local timestamp an unsafe integer.
 */
export const MAX_LOGICAL = 2 ** 31;

/** Total order on timestamps: wall time, then logical counter, then replica id. */
export function compareTimestamps(a: HlcTimestamp, b: HlcTimestamp): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  if (a.replica === b.replica) return 0;
  return a.replica < b.replica ? -1 : 1;
}

/** The later of two timestamps. */
export const maxTimestamp = (a: HlcTimestamp, b: HlcTimestamp): HlcTimestamp => (compareTimestamps(a, b) >= 0 ? a : b);

/** Throw a `TypeError` unless `timestamp` is well formed. */
export function assertTimestamp(timestamp: HlcTimestamp): void {
  const { wall, logical } = timestamp;
  if (!Number.isSafeInteger(wall) || wall < 0 || !Number.isSafeInteger(logical) || logical < 0) {
    throw new TypeError(`Invalid timestamp ${wall}.${logical}: expected non-negative safe integers`);
  }
  assertReplicaId(timestamp.replica);
}

/**
 * A hybrid logical clock (Kulkarni et al., 2014). Its readings never go backwards, whatever the
 * physical clock does, and every reading follows every timestamp it has received, so a write made
 * after seeing another write is ordered after it. Remote timestamps more than `maxDrift` ms ahead
 * of physical time are refused with a `ClockDriftError` instead of dragging the clock forward.
 */
export class HybridLogicalClock {
  readonly replica: ReplicaId;
  readonly maxDrift: number;
  private readonly physical: () => number;
  private wall = 0;
  private logical = 0;

  constructor(replica: ReplicaId, options: HlcOptions = {}) {
    assertReplicaId(replica);
    const maxDrift = options.maxDrift ?? DEFAULT_MAX_DRIFT;
    if (!(maxDrift >= 0)) throw new RangeError(`Invalid maxDrift ${maxDrift}: expected a non-negative number`);
    this.replica = replica;
    this.maxDrift = maxDrift;
    this.physical = options.now ?? Date.now;
  }

  /** The latest timestamp issued or received. */
  get last(): HlcTimestamp {
    return { wall: this.wall, logical: this.logical, replica: this.replica };
  }

  /** A new timestamp for a local event, greater than every earlier reading and received timestamp. */
  now(): HlcTimestamp {
    const physical = this.readPhysical();
    if (physical > this.wall) {
      this.wall = physical;
      this.logical = 0;
    } else {
      this.logical++;
    }
    return this.last;
  }

  /**
   * Throw a `ClockDriftError` if `remote` lies too far in the future (wall time beyond the drift
   * bound, or a logical counter beyond {@link MAX_LOGICAL}); the clock is not changed.
   */
  check(remote: HlcTimestamp): void {
    this.checkAgainst(remote, this.readPhysical());
  }

  /** Advance past a remote timestamp, after {@link check}ing it. */
  receive(remote: HlcTimestamp): void {
    assertTimestamp(remote);
    const physical = this.readPhysical();
    this.checkAgainst(remote, physical);
    const wall = Math.max(this.wall, remote.wall, physical);
    if (wall === this.wall && wall === remote.wall) this.logical = Math.max(this.logical, remote.logical) + 1;
    else if (wall === this.wall) this.logical++;
    else if (wall === remote.wall) this.logical = remote.logical + 1;
    else this.logical = 0;
    this.wall = wall;
  }

  private checkAgainst(remote: HlcTimestamp, physical: number): void {
    if (remote.wall - physical > this.maxDrift || remote.logical > MAX_LOGICAL) {
      throw new ClockDriftError(remote, physical, this.maxDrift);
    }
  }

  private readPhysical(): number {
    const time = Math.floor(this.physical());
    if (!Number.isSafeInteger(time)) throw new RangeError(`Physical clock returned ${time}`);
    return Math.max(0, time);
  }
}
