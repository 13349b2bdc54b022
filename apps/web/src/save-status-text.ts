import type { LocalCopyStatus, SessionStatus } from '@meshpad/client';

/** How the save state is shown: a short label, a sentence saying what it means, and a tone for colour. */
export interface SaveStatusText {
  readonly label: string;
  readonly sentence: string;
  readonly tone: 'ok' | 'busy' | 'bad';
}

/** A problem with the local copy: what went wrong and what the user can do. */
export interface LocalCopyProblem {
  readonly title: string;
  readonly advice: string;
}

/** "1 change not saved yet", "3 changes not saved yet". */
export const unsavedLabel = (unsaved: number): string =>
  `${unsaved} ${unsaved === 1 ? 'change' : 'changes'} not saved yet`;

/**
 * Whether the relay has stored the user's work. "All changes saved" only once the relay confirmed every local change;
 * undefined before the document has loaded, when there is nothing to say.
 */
export const describeSaveStatus = ({
  connection,
  loaded,
  unsaved,
  localCopy,
  relayClose,
}: Pick<SessionStatus, 'connection' | 'loaded' | 'unsaved' | 'localCopy' | 'relayClose'>):
  | SaveStatusText
  | undefined => {
  if (!loaded) return undefined;
  if (unsaved === 0) return { label: 'All changes saved', sentence: 'The relay has stored every change.', tone: 'ok' };
  const label = unsavedLabel(unsaved);
  if (localCopy.state !== 'ready') {
    return { label, sentence: 'They are only in this tab: keep it open until they are saved.', tone: 'bad' };
  }
  if (relayClose?.permanent && connection !== 'connected') {
    return { label, sentence: 'They are kept in this browser, but the relay no longer takes them.', tone: 'bad' };
  }
  if (relayClose?.name === 'DocumentTooLarge') {
    return { label, sentence: 'They are kept in this browser until the relay has room.', tone: 'busy' };
  }
  return connection === 'connected'
    ? { label, sentence: 'Sending them to the relay…', tone: 'busy' }
    : { label, sentence: 'They are kept in this browser and sent when the relay is back.', tone: 'busy' };
};

/** What to tell the user when the local copy cannot be kept; undefined while it works. */
export const describeLocalCopyProblem = (localCopy: LocalCopyStatus): LocalCopyProblem | undefined => {
  if (localCopy.state !== 'failed') return undefined;
  switch (localCopy.error.code) {
    case 'unavailable':
      return {
        title: 'This browser does not let Meshpad keep documents offline here.',
        advice:
          'Private browsing and some privacy settings do this. Your changes still go to the relay, but keep this tab ' +
          'open until they are saved, or open Meshpad in a normal window to work offline.',
      };
    case 'quota-exceeded':
      return {
        title: 'This browser’s storage is full, so new changes are not kept offline.',
        advice:
          'Remove the local copies of documents you no longer need (on the home page), or clear data of other ' +
          'sites. Until then keep this tab open until your changes are saved.',
      };
    case 'failed':
      return {
        title: 'Meshpad could not use this browser’s storage.',
        advice: `${localCopy.error.message}. Keep this tab open until your changes are saved; reloading may help.`,
      };
  }
};
