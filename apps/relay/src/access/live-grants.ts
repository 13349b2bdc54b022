import { AccessDenial } from '@meshpad/protocol';
import type { AccessGate } from './access-gate.js';
import type { Grant } from './grant.js';

interface Watched {
  readonly grant: Grant;
  readonly revoke: (reason: AccessDenial) => void;
  timer: NodeJS.Timeout | undefined;
}

/** setTimeout's longest delay; a later expiry is waited for in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The tokens live connections hold, so that a rotation closes the connections whose token it revoked
 * at once, and a token that expires closes its connection at expiry.
 */
export class LiveGrants {
  readonly #rooms = new Map<string, Set<Watched>>();

  constructor(private readonly gate: AccessGate) {
    gate.onRotate((room, generations) => {
      for (const watched of this.#rooms.get(room) ?? []) {
        if (!gate.isCurrent(watched.grant, generations)) watched.revoke(AccessDenial.Revoked);
      }
    });
  }

  /**
   * Calls `revoke` once when `grant` is revoked or expires, until the returned function is called. A
   * rotation that finished while the grant was being checked revokes it at once.
   */
  watch(grant: Grant, revoke: (reason: AccessDenial) => void): () => void {
    let done = false;
    const watched: Watched = {
      grant,
      revoke: (reason) => {
        if (done) return;
        stop();
        revoke(reason);
      },
      timer: undefined,
    };
    const stop = () => {
      done = true;
      clearTimeout(watched.timer);
      const room = this.#rooms.get(grant.room);
      room?.delete(watched);
      if (room?.size === 0) this.#rooms.delete(grant.room);
    };
    const generations = this.gate.cachedGenerations(grant.room);
    if (generations !== undefined && !this.gate.isCurrent(grant, generations)) {
      revoke(AccessDenial.Revoked);
      return () => {};
    }
    let room = this.#rooms.get(grant.room);
    if (room === undefined) {
      room = new Set();
      this.#rooms.set(grant.room, room);
    }
    room.add(watched);
    if (grant.expiresAt !== undefined) this.#scheduleExpiry(watched);
    return stop;
  }

  /** Connections watched in `room`. */
  countIn(room: string): number {
    return this.#rooms.get(room)?.size ?? 0;
  }

  #scheduleExpiry(watched: Watched): void {
    const left = (watched.grant.expiresAt ?? 0) - Date.now();
    if (left <= 0) {
      watched.revoke(AccessDenial.Expired);
      return;
    }
    watched.timer = setTimeout(() => this.#scheduleExpiry(watched), Math.min(left, MAX_DELAY_MS));
    watched.timer.unref();
  }
}
