import type { WebsocketProvider } from 'y-websocket';
import { type ConnectionState, nextConnectionState, type ProviderSignal } from './connection-state.js';
import { LoadWaiters } from './load-waiters.js';
import { SessionDestroyedError } from './session-destroyed-error.js';

/** The part of a session's status that its relay provider drives. */
export interface RelayStatus {
  readonly connection: ConnectionState;
  readonly synced: boolean;
  /** Never goes back to false. */
  readonly loaded: boolean;
}

/**
 * A session's status: follows what the relay provider reports, passes each change to `onChange` once, and settles
 * {@link StatusTracker.whenLoaded} promises when the status first becomes loaded.
 */
export class StatusTracker<S extends RelayStatus> {
  private currentStatus: S;
  private readonly waiters = new LoadWaiters();
  private isDestroyed = false;

  /** `sessionName` names the session in the {@link SessionDestroyedError} of a load it did not live to see. */
  constructor(
    private readonly provider: WebsocketProvider,
    private readonly sessionName: string,
    initial: S,
    private readonly onChange: (status: S) => void,
  ) {
    this.currentStatus = initial;
    provider.on('status', this.onProviderStatus);
    provider.on('connection-close', this.onConnectionClose);
    provider.on('connection-error', this.onConnectionError);
    provider.on('sync', this.onSync);
  }

  get current(): S {
    return this.currentStatus;
  }

  /** Changes the fields in `change`; reports the new status only if one of them is different. */
  update(change: Partial<S>): void {
    this.set({ ...this.currentStatus, ...change });
  }

  /** Resolves once the status is loaded; rejects with a {@link SessionDestroyedError} if destroyed first. */
  whenLoaded(): Promise<void> {
    if (this.currentStatus.loaded) return Promise.resolve();
    if (this.isDestroyed) return Promise.reject(new SessionDestroyedError(this.sessionName));
    return this.waiters.wait();
  }

  /**
   * Stops following the provider (call it before destroying the provider, whose last events are not news), marks the
   * status offline without reporting it, and rejects every waiting {@link StatusTracker.whenLoaded}.
   */
  destroy(): void {
    if (this.isDestroyed) return;
    this.isDestroyed = true;
    this.provider.off('status', this.onProviderStatus);
    this.provider.off('connection-close', this.onConnectionClose);
    this.provider.off('connection-error', this.onConnectionError);
    this.provider.off('sync', this.onSync);
    this.currentStatus = { ...this.currentStatus, connection: 'offline', synced: false };
    this.waiters.rejectAll(new SessionDestroyedError(this.sessionName));
  }

  private set(next: S): void {
    const current = this.currentStatus;
    if (sameFields(next, current)) return;
    this.currentStatus = next;
    if (next.loaded && !current.loaded) this.waiters.resolveAll();
    this.onChange(next);
  }

  private signal(signal: ProviderSignal): void {
    const connection = nextConnectionState(this.currentStatus.connection, signal);
    this.set({ ...this.currentStatus, connection, synced: connection === 'connected' && this.provider.synced });
  }

  private readonly onProviderStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }): void => {
    this.signal(status);
  };

  private readonly onConnectionClose = (): void => {
    this.signal('connection-closed');
  };

  private readonly onConnectionError = (): void => {
    this.signal('connection-error');
  };

  private readonly onSync = (synced: boolean): void => {
    this.set({ ...this.currentStatus, synced, loaded: this.currentStatus.loaded || synced });
  };
}

/** Statuses are flat: equal fields (objects by identity) mean nothing changed. */
const sameFields = <S extends object>(a: S, b: S): boolean => {
  for (const key in a) if (a[key] !== b[key]) return false;
  return true;
};
