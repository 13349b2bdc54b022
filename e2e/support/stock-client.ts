import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { relayUrl } from './fixtures.js';

/** A stock y-websocket client in the test's own Node process: what anyone who knows a document's id can run. */
export interface StockClient {
  readonly doc: Y.Doc;
  /** The document's text (Meshpad keeps it in the Y.Text named 'content'). */
  readonly text: Y.Text;
  readonly provider: WebsocketProvider;
  close(): void;
}

/** Connects a stock client to the document at `path` (`/d/<id>`) on the test relay and waits for its content. */
export const connectStockClient = async (path: string): Promise<StockClient> => {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${relayUrl().replace(/^http/, 'ws')}/yjs`, path.slice('/d/'.length), doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Node has BroadcastChannel: without this, two clients in this process would sync around the relay.
    disableBc: true,
  });
  if (!provider.synced) {
    await new Promise<void>((resolve) => {
      const onSync = (synced: boolean) => {
        if (!synced) return;
        provider.off('sync', onSync);
        resolve();
      };
      provider.on('sync', onSync);
    });
  }
  return {
    doc,
    text: doc.getText('content'),
    provider,
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
};
