import type { KeyValueStorage } from '@meshpad/client';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  RECENT_DOCS_KEY,
  type RecentDoc,
  readRecentDocs,
  updateRecentDocs,
  withOpened,
  withTitle,
} from './recent-docs.js';

/**
 * The documents this browser opened, kept current for its host, also when another tab changes the list.
 * Given `openedDocId`, it records that document as opened when the host connects.
 */
export class RecentDocsController implements ReactiveController {
  docs: readonly RecentDoc[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly storage: () => KeyValueStorage,
    private readonly openedDocId?: () => string,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const opened = this.openedDocId?.();
    this.docs =
      opened === undefined
        ? readRecentDocs(this.storage())
        : updateRecentDocs(this.storage(), (docs) => withOpened(docs, opened, Date.now()));
    window.addEventListener('storage', this.onStorage);
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    window.removeEventListener('storage', this.onStorage);
  }

  /** Remembers the title a document has now. */
  setTitle(docId: string, title: string): void {
    if (this.docs.find((doc) => doc.id === docId)?.title === title) return;
    this.docs = updateRecentDocs(this.storage(), (docs) => withTitle(docs, docId, title));
  }

  private readonly onStorage = (event: StorageEvent): void => {
    if (event.key !== RECENT_DOCS_KEY && event.key !== null) return;
    this.docs = readRecentDocs(this.storage());
    this.host.requestUpdate();
  };
}
