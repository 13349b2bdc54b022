import * as Y from 'yjs';

/** How many updates `Y.mergeUpdates` merges at once: its cost grows faster than its input count. */
const ROUND_SIZE = 32;

/** Merges Yjs updates into one, in rounds of a few at a time, which stays fast for thousands of small updates. */
export const mergeUpdatesInRounds = (updates: readonly Uint8Array[]): Uint8Array => {
  let round = [...updates];
  if (round.length === 0) return Y.encodeStateAsUpdate(new Y.Doc());
  while (round.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < round.length; i += ROUND_SIZE) {
      const chunk = round.slice(i, i + ROUND_SIZE);
      next.push(chunk.length === 1 ? chunk[0]! : Y.mergeUpdates(chunk));
    }
    round = next;
  }
  return round[0]!;
};
