import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, expect, type Locator, type Page } from '@playwright/test';

// The launch options of playwright.config.ts, for browsers a test launches itself (persistent profiles).
const CHROMIUM_EXECUTABLE = process.env.MESHPAD_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What a page logs when it is offline on purpose: its attempts to reach the relay fail. */
const EXPECTED_OFFLINE_NOISE =
  /WebSocket connection to '.*' failed|net::ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED/;

/**
 * Console errors, page errors and Yjs's duplicate-import warning of every page of `context`, except the failed
 * connection attempts that going offline causes.
 */
export const watchProblems = (context: BrowserContext): string[] => {
  const problems: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (message) => {
      const text = message.text();
      if (EXPECTED_OFFLINE_NOISE.test(text)) return;
      if (message.type() === 'error' || text.includes('Yjs was already imported')) {
        problems.push(`console ${message.type()}: ${text}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return problems;
};

/**
 * Makes WebSockets and WebRTC follow the context's offline state, which Chromium's network emulation
 * (`context.setOffline`) applies to page loads and fetches but not to them. A socket opened while offline fails as it
 * would with no network, and {@link goOffline} closes the open sockets and peer connections (with no signaling, no
 * new peer connection can start). Also sets the display name a new profile uses, as the `person` fixture does.
 */
const prepareContext = async (context: BrowserContext, name: string, offline: boolean): Promise<void> => {
  await context.addInitScript(
    ({ displayName, startOffline }) => {
      // The first page of a context is about:blank, whose opaque origin has no storage.
      if (!location.protocol.startsWith('http')) return;
      if (localStorage.getItem('meshpad.display-name') === null)
        localStorage.setItem('meshpad.display-name', displayName);
      // Not navigator.onLine: it is also false in a network namespace with only loopback, where the relay is reachable.
      let cutOff = startOffline;
      const sockets = new Set<WebSocket>();
      const peers = new Set<RTCPeerConnection>();
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          // A path the relay has no WebSocket for fails the handshake, as an unreachable network would. It stays
          // same-origin: the app's Content-Security-Policy (connect-src 'self') blocks any other address.
          super(
            cutOff ? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/offline` : url,
            protocols,
          );
          sockets.add(this);
          this.addEventListener('close', () => sockets.delete(this));
        }
      };
      const NativePeerConnection = window.RTCPeerConnection;
      if (NativePeerConnection !== undefined) {
        window.RTCPeerConnection = class extends NativePeerConnection {
          constructor(configuration?: RTCConfiguration) {
            super(configuration);
            peers.add(this);
          }
        };
      }
      const controls = {
        /** Closes every connection and refuses new ones; resolves once every socket has closed. */
        cutOff: async (): Promise<void> => {
          cutOff = true;
          for (const peer of peers) peer.close();
          peers.clear();
          const closing = [...sockets].map(
            (socket) => new Promise((resolve) => socket.addEventListener('close', resolve, { once: true })),
          );
          for (const socket of sockets) socket.close();
          await Promise.all(closing);
        },
        /** Allows connections again. */
        reconnect: (): void => {
          cutOff = false;
        },
      };
      Object.assign(window, { __meshpadNetwork: controls });
    },
    { displayName: name, startOffline: offline },
  );
};

interface NetworkControls {
  cutOff(): Promise<void>;
  reconnect(): void;
}

/** A browser profile on disk that survives closing the browser, as a user's does. */
export interface Profile {
  readonly dir: string;
  /** Launches Chromium on the profile; the context's `problems` collect what its pages log. */
  launch(options?: { offline?: boolean }): Promise<{ context: BrowserContext; page: Page; problems: string[] }>;
  remove(): Promise<void>;
}

export const newProfile = async (name: string, baseURL: string): Promise<Profile> => {
  const dir = await mkdtemp(join(tmpdir(), 'meshpad-profile-'));
  return {
    dir,
    launch: async ({ offline = false } = {}) => {
      const context = await chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM_EXECUTABLE,
        args: CHROMIUM_ARGS,
        headless: true,
        baseURL,
        offline,
      });
      await prepareContext(context, name, offline);
      const problems = watchProblems(context);
      const page = context.pages()[0] ?? (await context.newPage());
      return { context, page, problems };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
};

/** A fresh (not persistent) context of `browser` for `name`, prepared as a profile is, with problems watched. */
export const newVisitor = async (
  browser: Browser,
  name: string,
  baseURL: string,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> => {
  const context = await browser.newContext({ baseURL });
  await prepareContext(context, name, false);
  const problems = watchProblems(context);
  return { context, page: await context.newPage(), problems };
};

/**
 * Cuts a context off the network: every page's connections closed (while the close can still complete), then no new
 * ones, and Chromium's offline emulation for everything else.
 */
export const goOffline = async (context: BrowserContext): Promise<void> => {
  for (const page of context.pages()) {
    await page.evaluate(() => (window as unknown as { __meshpadNetwork: NetworkControls }).__meshpadNetwork.cutOff());
  }
  await context.setOffline(true);
};

/** Undoes {@link goOffline} (or a launch with `offline: true`): the pages reconnect on their own. */
export const goOnline = async (context: BrowserContext): Promise<void> => {
  for (const page of context.pages()) {
    await page.evaluate(() =>
      (window as unknown as { __meshpadNetwork: NetworkControls }).__meshpadNetwork.reconnect(),
    );
  }
  // Last, so that the pages' `online` event finds new connections allowed.
  await context.setOffline(false);
};

/** The connection badge (its `data-connection` is `connecting`, `connected` or `offline`). */
export const connectionBadge = (page: Page): Locator => page.locator('mp-connection-status [data-connection]');

/** The save status line ("All changes saved" / "N changes not saved yet"), with the count in `data-unsaved`. */
export const saveStatus = (page: Page): Locator => page.locator('mp-save-status [data-unsaved]');

/** Waits until the relay has confirmed every change of the page. */
export const expectAllSaved = async (page: Page, timeout = 15_000): Promise<void> => {
  await expect(saveStatus(page)).toHaveAttribute('data-unsaved', '0', { timeout });
  await expect(saveStatus(page)).toContainText('All changes saved');
};

/** The number of unsaved changes the page shows. */
export const unsavedCount = async (page: Page): Promise<number> =>
  Number(await saveStatus(page).getAttribute('data-unsaved'));

/**
 * The number of unconfirmed changes of `docId` written in the page's IndexedDB: once it equals what the page shows,
 * the local copy holds every change (the count is written in the same transaction as the changes).
 */
export const storedUnsavedCount = (page: Page, docId: string): Promise<number> =>
  page.evaluate(
    (id) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('meshpad');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db
            .transaction('docs', 'readonly')
            .objectStore('docs')
            .getAll(IDBKeyRange.bound(['pending', id], ['pending', id, []]));
          request.onsuccess = () => {
            db.close();
            resolve((request.result as number[]).reduce((sum, count) => sum + count, 0));
          };
          request.onerror = () => reject(request.error);
        };
      }),
    docId,
  );

/** Puts the cursor at `column` of `line` (both from 1), or at the end of the line, with the keyboard as a user would. */
export const placeCursor = async (page: Page, line: number, column: number | 'end'): Promise<void> => {
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  if (column === 'end') {
    await page.keyboard.press('End');
    return;
  }
  await page.keyboard.press('Home');
  for (let i = 1; i < column; i++) await page.keyboard.press('ArrowRight');
};
