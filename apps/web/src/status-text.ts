import type { SessionStatus } from '@meshpad/client';
import { transientCloseReason } from './relay-close-text.js';

/** How a status is shown: a short label, a sentence saying what it means for the user, and a tone for colour. */
export interface StatusText {
  readonly label: string;
  readonly sentence: string;
  readonly tone: 'ok' | 'busy' | 'bad';
}

/** Closes the relay repeats on every reconnect because of what this browser sends: the connection comes and goes. */
const REFUSING_CLOSES: ReadonlySet<string | undefined> = new Set(['DocumentTooLarge', 'MessageTooBig']);

/** Describes a session status in plain words. */
export const describeStatus = (
  status: Pick<SessionStatus, 'connection' | 'synced' | 'loaded' | 'relayClose'>,
): StatusText => {
  const { connection, synced, loaded, relayClose } = status;
  if (relayClose?.permanent && connection !== 'connected') {
    return { label: 'Not syncing', sentence: 'The relay closed the connection for good.', tone: 'bad' };
  }
  // Steady while the connection flickers, so screen readers are not told "connected", "offline" every second.
  if (REFUSING_CLOSES.has(relayClose?.name)) {
    return { label: 'Not saving', sentence: 'The relay does not take this browser’s newest edits.', tone: 'bad' };
  }
  switch (connection) {
    case 'connected':
      return synced
        ? { label: 'Connected', sentence: 'Your changes are shared live.', tone: 'ok' }
        : { label: 'Syncing', sentence: 'Connected, catching up with the relay.', tone: 'busy' };
    case 'connecting':
      return { label: 'Connecting', sentence: 'Reaching the relay…', tone: 'busy' };
    case 'offline': {
      const why = transientCloseReason(status);
      if (loaded) {
        const sentence = `${why ?? 'Can’t reach the relay.'} Keep writing: your changes are kept and sync when it is back.`;
        return { label: 'Offline', sentence, tone: 'bad' };
      }
      const cause = why === undefined ? 'Can’t reach the relay, so this document' : `${why} This document`;
      return { label: 'Offline', sentence: `${cause} can’t load yet. Retrying…`, tone: 'bad' };
    }
  }
};
