import {
  type LocalCopy,
  type LocalStoreError,
  listLocalCopies,
  openLocalDatabase,
  removeLocalCopy,
} from '@meshpad/client';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The documents this browser holds a local copy of, for the home page: listed when the host connects and whenever
 * the window regains focus (another tab may have written or removed one), with a way to remove a copy.
 */
export class LocalCopiesController implements ReactiveController {
  /** Local copies by document id. */
  copies: ReadonlyMap<string, LocalCopy> = new Map();
  /** Why the copies could not be listed or removed, until the next success. */
  error: LocalStoreError | undefined;
  private readonly db = openLocalDatabase();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.refresh();
    window.addEventListener('focus', this.onFocus);
  }

  hostDisconnected(): void {
    window.removeEventListener('focus', this.onFocus);
  }

  /** Deletes the local copy of `docId`; a failure is shown through {@link error}. */
  async remove(docId: string): Promise<void> {
    try {
      await removeLocalCopy(this.db, docId);
    } catch (error) {
      this.error = error as LocalStoreError;
      this.host.requestUpdate();
      return;
    }
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    try {
      const copies = await listLocalCopies(this.db);
      this.copies = new Map(copies.map((copy) => [copy.docId, copy]));
      this.error = undefined;
    } catch (error) {
      this.error = error as LocalStoreError;
    }
    this.host.requestUpdate();
  }

  private readonly onFocus = (): void => {
    void this.refresh();
  };
}
