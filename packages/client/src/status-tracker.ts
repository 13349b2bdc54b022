import type { WebsocketProvider } from 'y-websocket';
import { type ConnectionState, nextConnectionState, type ProviderSignal } from './connection-state.js';
import { LoadWaiters } from './load-waiters.js';
import { type RelayClose, relayClose } from './relay-close.js';
import { SessionDestroyedError } from './session-destroyed-error.js';

/** The part of a session's status that its relay provider drives. */
export interface RelayStatus {
  readonly connection: ConnectionState;
  readonly synced: boolean;
  /** Never goes back to false. */
  readonly loaded: boolean;
  /**
   * How the relay last closed the connection; undefined before any close, and again once the session is back in
   * step with the relay (see the tracker's `inStep`). A refusal that comes back on every reconnect (`DocumentTooLarge`)
   * therefore stays while the connection comes and goes.
   */
  readonly relayClose: RelayClose | undefined;
}

/** Connected and synced: what a session without save confirmations needs to be back in step. */
export const connectedAndSynced = (status: RelayStatus): boolean => status.connection === 'connected' && status.synced;

/**
 * A session's status: follows what the relay provider reports, passes each change to `onChange` once, and settles
 * {@link StatusTracker.whenLoaded} promises when the status first becomes loaded. It keeps the relay's last close
 * until `inStep` holds for the status.
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
    private readonly inStep: (status: S) => boolean = connectedAndSynced,
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
    if (next.relayClose !== undefined && this.inStep(next)) next = { ...next, relayClose: undefined };
    const current = this.currentStatus;
    if (sameFields(next, current)) return;
    this.currentStatus = next;
    if (next.loaded && !current.loaded) this.waiters.resolveAll();
    this.onChange(next);
  }

  private signal(signal: ProviderSignal, relayClose = this.currentStatus.relayClose): void {
    const connection = nextConnectionState(this.currentStatus.connection, signal);
    const synced = connection === 'connected' && this.provider.synced;
    this.set({ ...this.currentStatus, connection, synced, relayClose });
  }

  private readonly onProviderStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }): void => {
    this.signal(status);
  };

  /** `event` is null when this side closed the socket (`disconnect()`, or no message for 30 s). */
  private readonly onConnectionClose = (event: CloseEvent | null): void => {
    const last = this.currentStatus.relayClose;
    const same = last !== undefined && last.code === event?.code && last.reason === event.reason;
    this.signal('connection-closed', event === null || same ? last : relayClose(event.code, event.reason));
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
