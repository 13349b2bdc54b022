import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, WebSocket } from '@playwright/test';
import { editorContent, newDocPath, openDoc, type Person } from '../support/fixtures.js';
import { expect, peopleByRoute, test } from '../support/webrtc.js';

// Keystroke-to-remote-render latency in Chromium, peer-to-peer against through the relay, and the bytes each
// keystroke costs the relay. The time-to-all-peers of a 30-peer room is measured with Node peers by
// packages/client/bench/mesh-fanout.mjs.

const KEYSTROKES = Number(process.env.MESHPAD_BENCH_KEYSTROKES ?? 500);
const RESULTS_DIR = join(import.meta.dirname, 'results');
const CHARACTERS = 'abcdefghijklmnopqrstuvwxyz ';

interface RelayTraffic {
  sentBytes: number;
  receivedBytes: number;
  sentFrames: number;
  receivedFrames: number;
}

interface ModeResult {
  readonly mode: string;
  readonly keystrokes: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  /** Keystroke to the writer's own editor showing it: the part of the latency that is not transport. */
  readonly localP50Ms: number;
  /** Bytes and frames on the document sockets (`/yjs`) of both pages, per keystroke. */
  readonly relayUpBytesPerKey: number;
  readonly relayDownBytesPerKey: number;
  readonly relayFramesPerKey: number;
  /** The same on the signaling sockets (`/signal`), over the whole typing phase. */
  readonly signalingBytes: number;
}

const results: ModeResult[] = [];

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] ?? Number.NaN;
};
const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Counts the bytes of every WebSocket of `page` whose URL matches `path`, from now on. */
const countTraffic = (page: Page, path: string): RelayTraffic => {
  const traffic = { sentBytes: 0, receivedBytes: 0, sentFrames: 0, receivedFrames: 0 };
  const size = (payload: string | Buffer) =>
    typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  const watch = (socket: WebSocket) => {
    if (!new URL(socket.url()).pathname.startsWith(path)) return;
    socket.on('framesent', ({ payload }) => {
      traffic.sentBytes += size(payload);
      traffic.sentFrames++;
    });
    socket.on('framereceived', ({ payload }) => {
      traffic.receivedBytes += size(payload);
      traffic.receivedFrames++;
    });
  };
  page.on('websocket', watch);
  return traffic;
};

/** Records in `page` when the editor's text reaches each length (the keystroke is in the DOM). */
const watchRenders = (page: Page) =>
  page.evaluate(() => {
    const find = (root: Document | ShadowRoot): Element | undefined => {
      const found = root.querySelector('.cm-content');
      if (found) return found;
      for (const element of root.querySelectorAll('*')) {
        const inner = element.shadowRoot && find(element.shadowRoot);
        if (inner) return inner;
      }
      return undefined;
    };
    const content = find(document);
    if (!content) throw new Error('no editor content element');
    const times: number[] = [];
    const textLength = () => {
      let length = 0;
      for (const line of content.querySelectorAll(':scope > .cm-line')) {
        const copy = line.cloneNode(true) as HTMLElement;
        for (const widget of copy.querySelectorAll('.cm-ySelectionCaret, .cm-widgetBuffer')) widget.remove();
        length += (copy.textContent ?? '').replaceAll('\u2060', '').length;
      }
      return length;
    };
    new MutationObserver(() => {
      const at = performance.timeOrigin + performance.now();
      for (let length = textLength(); times.length < length; ) times.push(at);
    }).observe(content, { subtree: true, childList: true, characterData: true });
    (window as unknown as { renderTimes: number[] }).renderTimes = times;
  });

/** Records, in the writer's page, when each key goes down. */
const watchKeys = (page: Page) =>
  page.evaluate(() => {
    const times: number[] = [];
    window.addEventListener('keydown', () => times.push(performance.timeOrigin + performance.now()), true);
    (window as unknown as { keyTimes: number[] }).keyTimes = times;
  });

/** Both pages' traffic with the relay, counted from before they open the document. */
interface Traffic {
  readonly relay: RelayTraffic[];
  readonly signaling: RelayTraffic[];
}

const countBoth = (writer: Person, reader: Person): Traffic => ({
  relay: [countTraffic(writer.page, '/yjs'), countTraffic(reader.page, '/yjs')],
  signaling: [countTraffic(writer.page, '/signal'), countTraffic(reader.page, '/signal')],
});

const measure = async (mode: string, writer: Person, reader: Person, traffic: Traffic): Promise<void> => {
  const { relay: relayTraffic, signaling: signalingTraffic } = traffic;
  await watchRenders(reader.page);
  await watchRenders(writer.page);
  await watchKeys(writer.page);
  await editorContent(writer.page).click();
  const sum = (list: RelayTraffic[], key: keyof RelayTraffic) => list.reduce((total, t) => total + t[key], 0);
  const start = {
    up: sum(relayTraffic, 'sentBytes'),
    down: sum(relayTraffic, 'receivedBytes'),
    frames: sum(relayTraffic, 'sentFrames') + sum(relayTraffic, 'receivedFrames'),
    signaling: sum(signalingTraffic, 'sentBytes') + sum(signalingTraffic, 'receivedBytes'),
  };
  for (let i = 0; i < KEYSTROKES; i++) {
    const character = CHARACTERS[i % CHARACTERS.length]!;
    await writer.page.keyboard.press(character === ' ' ? 'Space' : character);
    // One keystroke at a time, so each latency is a keystroke's own and not time spent in a queue.
    await reader.page.waitForFunction(
      (n) => (window as unknown as { renderTimes: number[] }).renderTimes.length > n,
      i,
      {
        polling: 1,
      },
    );
  }
  const keyTimes = await writer.page.evaluate(() => (window as unknown as { keyTimes: number[] }).keyTimes);
  const renderTimes = await reader.page.evaluate(() => (window as unknown as { renderTimes: number[] }).renderTimes);
  const latencies = keyTimes.slice(0, KEYSTROKES).map((sent, i) => renderTimes[i]! - sent);
  const localTimes = await writer.page.evaluate(() => (window as unknown as { renderTimes: number[] }).renderTimes);
  const localLatencies = keyTimes.slice(0, KEYSTROKES).map((sent, i) => localTimes[i]! - sent);
  results.push({
    mode,
    keystrokes: latencies.length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    localP50Ms: round(percentile(localLatencies, 50)),
    relayUpBytesPerKey: round((sum(relayTraffic, 'sentBytes') - start.up) / KEYSTROKES, 1),
    relayDownBytesPerKey: round((sum(relayTraffic, 'receivedBytes') - start.down) / KEYSTROKES, 1),
    relayFramesPerKey: round(
      (sum(relayTraffic, 'sentFrames') + sum(relayTraffic, 'receivedFrames') - start.frames) / KEYSTROKES,
      2,
    ),
    signalingBytes: sum(signalingTraffic, 'sentBytes') + sum(signalingTraffic, 'receivedBytes') - start.signaling,
  });
};

test.describe.configure({ mode: 'serial' });

test('keystroke latency and relay bytes, peer-to-peer', async ({ peer }) => {
  const alice = await peer('Alice');
  const bob = await peer('Bob');
  const traffic = countBoth(alice, bob);
  const path = newDocPath();
  await openDoc(alice.page, path);
  await openDoc(bob.page, path);
  await expect(peopleByRoute(alice.page, 'direct')).toHaveCount(1, { timeout: 15_000 });
  await expect(peopleByRoute(bob.page, 'direct')).toHaveCount(1, { timeout: 15_000 });
  await measure('peer-to-peer (+ relay for storage)', alice, bob, traffic);
});

test('keystroke latency and relay bytes, through the relay', async ({ peer }) => {
  const alice = await peer('Alice');
  const bob = await peer('Bob', { webrtc: false });
  const traffic = countBoth(alice, bob);
  const path = newDocPath();
  await openDoc(alice.page, path);
  await openDoc(bob.page, path);
  await expect(peopleByRoute(alice.page, 'relay')).toHaveCount(1);
  await measure('through the relay (no WebRTC)', alice, bob, traffic);
});

test.afterAll(async () => {
  console.table(results);
  await mkdir(RESULTS_DIR, { recursive: true });
  const at = new Date().toISOString();
  const file = join(RESULTS_DIR, `webrtc-${at.replaceAll(':', '-')}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ bench: 'webrtc', at, keystrokes: KEYSTROKES, netns: process.env.MESHPAD_LOOPBACK_ONLY === '1', results }, null, 2)}\n`,
  );
  console.log(`wrote ${file}`);
});
