import type { Locator, Page } from '@playwright/test';
import { test as base, collectPageProblems, expect, type Person, relayUrl } from './fixtures.js';

/** How a person's browser is set up for the WebRTC tests. */
export interface PeerOptions {
  /** `false`: the page has no WebRTC at all (RTCPeerConnection is removed before any script runs). Default true. */
  readonly webrtc?: boolean;
  /** The relay whose web app the person opens (default: the run's relay). */
  readonly baseURL?: string;
  /** The test stops the relay on purpose: its failed connection attempts are not problems. */
  readonly relayStops?: boolean;
}

interface PeerFixtures {
  /** Opens a browser context for `name` that can use WebRTC on loopback, or none at all. */
  peer: (name: string, options?: PeerOptions) => Promise<Person>;
}

/** What a page logs when the relay it uses has been stopped on purpose. */
// The last is stock y-websocket sending between the relay's close frame and the socket's close event.
const RELAY_DOWN_NOISE =
  /WebSocket connection to '.*' failed|ERR_CONNECTION_REFUSED|Failed to load resource|WebSocket is already in CLOSING or CLOSED state/;

/**
 * Chromium gathers loopback candidates only with `--allow-loopback-in-peer-connection` (playwright.config.ts) and,
 * without a media permission, hides host addresses behind mDNS names that nothing resolves in the test's network
 * namespace: hence `microphone`.
 */
export const test = base.extend<PeerFixtures>({
  peer: async ({ browser }, use) => {
    const people: Person[] = [];
    await use(async (name, options = {}) => {
      const context = await browser.newContext({
        baseURL: options.baseURL ?? relayUrl(),
        permissions: ['microphone'],
      });
      await context.addInitScript(
        ({ displayName, webrtc }) => {
          if (!location.protocol.startsWith('http')) return;
          if (localStorage.getItem('meshpad.display-name') === null) {
            localStorage.setItem('meshpad.display-name', displayName);
          }
          const scope = window as unknown as Record<string, unknown>;
          if (!webrtc) {
            delete scope.RTCPeerConnection;
            delete scope.webkitRTCPeerConnection;
            return;
          }
          // Keep every peer connection the page makes, so the test can read its data channels' statistics.
          const Native = window.RTCPeerConnection;
          const connections: RTCPeerConnection[] = [];
          scope.__peerConnections = connections;
          scope.RTCPeerConnection = class extends Native {
            constructor(config?: RTCConfiguration) {
              super(config);
              connections.push(this);
            }
          };
        },
        { displayName: name, webrtc: options.webrtc ?? true },
      );
      const page = await context.newPage();
      const problems = collectPageProblems(page, options.relayStops ? RELAY_DOWN_NOISE : undefined);
      const person = { name, context, page, problems };
      people.push(person);
      return person;
    });
    for (const { context } of people) await context.close();
    for (const { name, problems } of people) expect(problems, `problems in ${name}'s page`).toEqual([]);
  },
});

/** What the page's open WebRTC data channels have carried, and between which addresses. */
export interface DataChannelStats {
  readonly openChannels: number;
  readonly messagesReceived: number;
  readonly messagesSent: number;
  /** `local ↔ remote` address of each succeeded candidate pair. */
  readonly addresses: readonly string[];
}

/** Reads the statistics of every live peer connection of `page` (see the `peer` fixture). */
export const dataChannelStats = (page: Page): Promise<DataChannelStats> =>
  page.evaluate(async () => {
    const connections = ((window as unknown as Record<string, unknown>).__peerConnections ?? []) as RTCPeerConnection[];
    const result = { openChannels: 0, messagesReceived: 0, messagesSent: 0, addresses: [] as string[] };
    for (const connection of connections) {
      if (connection.connectionState === 'closed') continue;
      const reports = [...(await connection.getStats()).values()] as Record<string, unknown>[];
      const byId = new Map(reports.map((report) => [report.id, report]));
      for (const report of reports) {
        if (report.type === 'data-channel' && report.state === 'open') {
          result.openChannels++;
          result.messagesReceived += Number(report.messagesReceived);
          result.messagesSent += Number(report.messagesSent);
        }
        if (report.type === 'candidate-pair' && report.state === 'succeeded' && report.nominated) {
          const local = byId.get(report.localCandidateId);
          const remote = byId.get(report.remoteCandidateId);
          result.addresses.push(`${local?.address ?? local?.ip} ↔ ${remote?.address ?? remote?.ip}`);
        }
      }
    }
    return result;
  });

/** The presence-list entries of the other people whose route is `route` (`direct`, `relay`, …). */
export const peopleByRoute = (page: Page, route: string): Locator =>
  page.locator(`mp-presence-list li[data-route="${route}"]`);

/** The connection status element's state (`connected`, `connecting`, `offline`). */
export const connectionState = (page: Page): Locator => page.locator('mp-connection-status [data-connection]');

export { expect };
