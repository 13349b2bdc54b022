import type { SessionStatus } from '@meshpad/client';

/** How a status is shown: a short label, a sentence saying what it means for the user, and a tone for colour. */
export interface StatusText {
  readonly label: string;
  readonly sentence: string;
  readonly tone: 'ok' | 'busy' | 'bad';
}

/** Describes a session status in plain words. */
export const describeStatus = ({
  connection,
  synced,
  loaded,
}: Pick<SessionStatus, 'connection' | 'synced' | 'loaded'>): StatusText => {
  switch (connection) {
    case 'connected':
      return synced
        ? { label: 'Connected', sentence: 'Your changes are shared live.', tone: 'ok' }
        : { label: 'Syncing', sentence: 'Connected, catching up with the relay.', tone: 'busy' };
    case 'connecting':
      return { label: 'Connecting', sentence: 'Reaching the relay…', tone: 'busy' };
    case 'offline':
      return loaded
        ? {
            label: 'Offline',
            sentence: 'Can’t reach the relay. Keep writing: your changes are kept and sync when it is back.',
            tone: 'bad',
          }
        : {
            label: 'Offline',
            sentence: 'Can’t reach the relay, so this document can’t load yet. Retrying…',
            tone: 'bad',
          };
  }
};
