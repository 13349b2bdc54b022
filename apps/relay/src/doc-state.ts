import { mergeUpdates } from '@meshpad/protocol';

/**
 * Parts added since the last merge beyond which they are merged into one, so a busy room that is
 * never asked for its state (and never compacted) does not keep every small update apart.
 */
const MAX_RECENT_PARTS = 512;

/** Seal tokens are unique across states, so a token never matches a state it was not taken from. */
let lastSeal = 0;

/**
 * One document as encoded Yjs updates, merged only when its whole state is asked for (a client
 * joins). Background compaction replaces what it covered with its garbage-collected snapshot:
 * `seal()` marks what a compaction that reads storage now will cover, `replaceCovered()` swaps it.
 */
export class DocState {
  #covered: Uint8Array[];
  #recent: Uint8Array[] = [];
  #whole: Uint8Array | undefined;
  #seal = 0;
  #coveredBytes: number;
  #recentBytes = 0;

  constructor(updates: readonly Uint8Array[] = []) {
    this.#covered = [...updates];
    this.#coveredBytes = updates.reduce((sum, update) => sum + update.length, 0);
  }

  /** Encoded size of what is held, the measure of a document's size limit (a compaction shrinks it). */
  get bytes(): number {
    return this.#coveredBytes + this.#recentBytes;
  }

  add(update: Uint8Array): void {
    this.#whole = undefined;
    this.#recentBytes += update.length;
    this.#recent.push(update);
    if (this.#recent.length > MAX_RECENT_PARTS) this.#mergeRecent();
  }

  /** The whole document as one update. */
  state(): Uint8Array {
    if (this.#whole === undefined) {
      if (this.#covered.length > 1) {
        this.#covered = [mergeUpdates(this.#covered)];
        this.#coveredBytes = this.#covered[0]!.length;
      }
      if (this.#recent.length > 1) this.#mergeRecent();
      this.#whole = mergeUpdates([...this.#covered, ...this.#recent]);
    }
    return this.#whole;
  }

  #mergeRecent(): void {
    this.#recent = [mergeUpdates(this.#recent)];
    this.#recentBytes = this.#recent[0]!.length;
  }

  /** Marks everything added so far as covered; returns the token `replaceCovered` needs. */
  seal(): number {
    this.#covered.push(...this.#recent);
    this.#recent = [];
    this.#coveredBytes += this.#recentBytes;
    this.#recentBytes = 0;
    this.#seal = ++lastSeal;
    return this.#seal;
  }

  /**
   * Replaces what `seal` covered by `snapshot`, which must hold at least all of it. Does nothing
   * (and returns false) when the state was sealed again since.
   */
  replaceCovered(seal: number, snapshot: Uint8Array): boolean {
    if (seal !== this.#seal) return false;
    this.#covered = [snapshot];
    this.#coveredBytes = snapshot.length;
    this.#whole = undefined;
    return true;
  }
}
