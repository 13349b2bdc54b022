import type { LocalCopyStatus, SessionStatus } from '@meshpad/client';
import { AccessDenial, type CloseCodeName } from '@meshpad/protocol';

/** What a close of the relay leaves the user to do: what happened, and the way out. */
export interface RelayProblem {
  readonly title: string;
  readonly advice: string;
}

/** The status fields these texts read; a workspace has no local copy. */
export type RelayCloseStatus = Pick<SessionStatus, 'connection' | 'relayClose'> & {
  readonly localCopy?: LocalCopyStatus;
};

/** Why the relay closed, in a sentence, for closes after which the session reconnects by itself. */
const TRANSIENT_REASONS: Partial<Record<CloseCodeName, string>> = {
  GoingAway: 'The relay is restarting.',
  InternalError: 'The relay ran into an internal error.',
  StorageUnavailable: 'The relay cannot reach its storage right now.',
  DiskFull: 'The relay’s disk is full.',
  SlowReader: 'The connection was too slow for the relay.',
  TooManyHeldUpdates: 'The relay was still waiting for other people’s edits that yours build on.',
  RateLimited: 'This browser sent changes faster than the relay allows.',
  TooManyConnections: 'Too many connections come from your network.',
};

/**
 * The relay's reason for the close the session is reconnecting from, while it is not connected: `undefined` when the
 * connection simply dropped, or when the close is one {@link describeRelayProblem} explains.
 */
export const transientCloseReason = ({ connection, relayClose }: RelayCloseStatus): string | undefined => {
  if (connection === 'connected' || relayClose === undefined || relayClose.permanent) return undefined;
  return relayClose.name === undefined ? undefined : TRANSIENT_REASONS[relayClose.name];
};

/** Where edits made now are kept, as the start of a sentence. */
const keptWhere = (localCopy: LocalCopyStatus | undefined): string => {
  if (localCopy === undefined) return 'Changes made here now stay in this tab only';
  return localCopy.state === 'ready'
    ? 'Your edits are kept in this browser'
    : 'Your edits are only in this tab, so keep it open';
};

/**
 * What to tell the user about a close they have to act on: a permanent one (the session stopped reconnecting), or
 * one the relay repeats on every reconnect because of what this browser sends (the document's size limit, a message
 * too large). `undefined` for every other status.
 */
export const describeRelayProblem = (status: RelayCloseStatus): RelayProblem | undefined => {
  const close = status.relayClose;
  if (close === undefined) return undefined;
  const kept = keptWhere(status.localCopy);
  if (close.name === 'DocumentTooLarge') {
    const newest = status.localCopy?.state === 'ready' ? 'stay in this browser' : 'are only in this tab (keep it open)';
    return {
      title: 'This document has reached the relay’s size limit.',
      advice:
        `Deleting text is still accepted. Your newest edits ${newest} and are sent once there is room: ` +
        'remove text you no longer need, or move part of it into a new document.',
    };
  }
  if (close.name === 'MessageTooBig') {
    return {
      title: 'A change was too large for the relay to accept.',
      advice: `${kept}. Undo it (Ctrl+Z) and paste the text in smaller parts, or ask the relay’s operator to raise its message size limit.`,
    };
  }
  if (!close.permanent || status.connection === 'connected') return undefined;
  const stopped = `${kept}, but they no longer reach the relay or the people connected through it`;
  if (close.name === 'Unauthorized' || close.name === 'Forbidden') {
    const refusal = describeAccessDenial(close.reason, stopped);
    if (refusal !== undefined) return refusal;
  }
  switch (close.name) {
    case 'InvalidUpdate':
      return {
        title: 'The relay refused a change from this browser and stopped syncing this document.',
        advice:
          `${stopped}. Reload the page to connect again. If this comes back, copy your text somewhere safe and ` +
          'tell the relay’s operator: its log names the refused change.',
      };
    case 'Unauthorized':
      return {
        title: 'The relay needs an access token for this document, and this browser has none.',
        advice: `${stopped}. Open the document from a link that grants access, or ask its owner for one.`,
      };
    case 'Forbidden':
      return {
        title: 'You no longer have access to this document on the relay.',
        advice: `${stopped}. Ask the document’s owner for access, then reload the page.`,
      };
    case 'InvalidRoomName':
      return {
        title: 'The relay does not accept this document’s address.',
        advice: `${stopped}. Check the link you opened, or start a new document from the home page.`,
      };
    default:
      return {
        title: 'This app and the relay did not understand each other, so this document stopped syncing.',
        advice: `${stopped}. Reload the page to get the version of the app this relay serves. The relay said: “${close.reason || `code ${close.code}`}”.`,
      };
  }
};

/** The text kept for edits made after a link stopped working: the editor stays readable, the relay is gone. */
const SINCE_KEPT = 'Your edits made since are still here: copy them before closing this tab.';

/**
 * What to say when the relay refused this browser's link (the reason of its 4401 or 4403 close, `AccessDenial` in
 * `@meshpad/protocol`); undefined for a reason it does not know, which then reads as a plain 4401 or 4403.
 */
const describeAccessDenial = (reason: string, stopped: string): RelayProblem | undefined => {
  switch (reason) {
    case AccessDenial.Revoked:
      return {
        title: 'Your link was revoked by the document’s owner.',
        advice: `${SINCE_KEPT} To keep working on it, ask the owner for a new link.`,
      };
    case AccessDenial.Expired:
      return {
        title: 'Your link has expired.',
        advice: `${SINCE_KEPT} To keep working on it, ask the document’s owner for a new link.`,
      };
    case AccessDenial.InvalidToken:
      return {
        title: 'The relay does not accept the link this document was opened with.',
        advice:
          `${stopped}. The link may have been cut short when it was copied, or made for another relay: ` +
          'open the whole link again, or ask the document’s owner for a new one.',
      };
    case AccessDenial.OtherDocument:
      return {
        title: 'The link this document was opened with gives access to another document.',
        advice: `${stopped}. Ask the document’s owner for a link to this one.`,
      };
    case AccessDenial.TokenRequired:
      return {
        title: 'This relay requires a link with access: ask the document’s owner.',
        advice: `${stopped}. Open the document from the link they send you.`,
      };
    default:
      return undefined;
  }
};
