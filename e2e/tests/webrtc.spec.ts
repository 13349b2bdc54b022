import { startDedicatedRelay } from '../support/dedicated-relay.js';
import { editorContent, editorText, newDocPath, openDoc, type Person, relayUrl } from '../support/fixtures.js';
import { startStockWebrtcPeer } from '../support/stock-webrtc-peer.js';
import { connectionState, dataChannelStats, expect, peopleByRoute, test } from '../support/webrtc.js';

// Every person is a separate browser context: pages of one context would talk over BroadcastChannel instead.
// `npm test` runs these in a network namespace with no way out of the machine (support/loopback-only.mjs), whose
// addresses are in MESHPAD_LOCAL_ADDRESSES.
const localAddresses = process.env.MESHPAD_LOCAL_ADDRESSES?.split(',');

/** Both people open `path`, and each sees the other as connected directly. */
const openConnected = async (alice: Person, bob: Person, path: string): Promise<void> => {
  await openDoc(alice.page, path);
  await openDoc(bob.page, path);
  await expect(peopleByRoute(alice.page, 'direct')).toHaveCount(1, { timeout: 15_000 });
  await expect(peopleByRoute(bob.page, 'direct')).toHaveCount(1, { timeout: 15_000 });
};

/** Clicks at the end of the text and types `text`. */
const typeAtEnd = async (person: Person, text: string): Promise<void> => {
  await editorContent(person.page).click();
  await person.page.keyboard.press('ControlOrMeta+End');
  await person.page.keyboard.type(text);
};

test('two browsers co-edit over a WebRTC data channel', async ({ peer }) => {
  const alice = await peer('Alice');
  const bob = await peer('Bob');
  await openConnected(alice, bob, newDocPath());
  await expect(peopleByRoute(alice.page, 'direct')).toContainText('Bob');
  await expect(peopleByRoute(alice.page, 'direct')).toContainText('peer-to-peer');

  // The channel can be open a moment before the browser's statistics show its nominated candidate pair.
  await expect.poll(async () => (await dataChannelStats(bob.page)).addresses.length).toBeGreaterThanOrEqual(1);
  const before = await dataChannelStats(bob.page);
  expect(before.openChannels).toBeGreaterThanOrEqual(1);
  if (localAddresses !== undefined) {
    for (const address of before.addresses.flatMap((pair) => pair.split(' ↔ '))) {
      expect(localAddresses).toContain(address);
    }
  }

  const typed = 'Typed by Alice, carried peer-to-peer.';
  await typeAtEnd(alice, typed);
  await expect.poll(() => editorText(bob.page)).toBe(typed);
  // Every keystroke is at least one message on Bob's data channel (its update, plus cursor moves).
  await expect
    .poll(async () => (await dataChannelStats(bob.page)).messagesReceived - before.messagesReceived)
    .toBeGreaterThanOrEqual(typed.length);

  await typeAtEnd(bob, ' Bob answers.');
  await expect.poll(() => editorText(alice.page)).toBe(`${typed} Bob answers.`);
  await expect(alice.page.locator('.cm-ySelectionInfo')).toHaveText('Bob');
});

test('without WebRTC in one browser, edits and cursors go through the relay', async ({ peer }) => {
  const alice = await peer('Alice');
  const bob = await peer('Bob', { webrtc: false });
  const path = newDocPath();
  await openDoc(alice.page, path);
  await openDoc(bob.page, path);
  await expect(peopleByRoute(alice.page, 'relay')).toContainText('Bob');
  await expect(peopleByRoute(bob.page, 'relay')).toContainText('Alice');
  await expect(peopleByRoute(alice.page, 'relay')).toContainText('via relay');

  await typeAtEnd(alice, 'From Alice, who has WebRTC.');
  await expect.poll(() => editorText(bob.page)).toBe('From Alice, who has WebRTC.');
  await typeAtEnd(bob, ' From Bob, who has none.');
  await expect.poll(() => editorText(alice.page)).toBe('From Alice, who has WebRTC. From Bob, who has none.');
  await expect(alice.page.locator('.cm-ySelectionInfo')).toHaveText('Bob');
  await editorContent(alice.page).click();
  await expect(bob.page.locator('.cm-ySelectionInfo')).toHaveText('Alice');
  expect((await dataChannelStats(alice.page)).openChannels).toBe(0);
});

test('with the relay stopped, directly connected browsers keep co-editing; the relay gets it all back', async ({
  peer,
}) => {
  // Many steps, each waiting for a relay or a browser to notice a change: more than the default 30 s on a loaded CI box.
  test.setTimeout(60_000);
  const relay = await startDedicatedRelay('webrtc-relay-stop');
  try {
    const alice = await peer('Alice', { baseURL: relay.url, relayStops: true });
    const bob = await peer('Bob', { baseURL: relay.url, relayStops: true });
    const path = newDocPath();
    await openConnected(alice, bob, path);
    await typeAtEnd(alice, 'Before the relay stopped.');
    await expect.poll(() => editorText(bob.page)).toBe('Before the relay stopped.');

    await relay.stop();
    await expect(connectionState(alice.page)).toHaveAttribute('data-connection', 'offline');
    await expect(connectionState(bob.page)).toHaveAttribute('data-connection', 'offline');
    await typeAtEnd(alice, ' Alice, relay down.');
    await expect.poll(() => editorText(bob.page)).toBe('Before the relay stopped. Alice, relay down.');
    await typeAtEnd(bob, ' Bob, relay down.');
    const expected = 'Before the relay stopped. Alice, relay down. Bob, relay down.';
    await expect.poll(() => editorText(alice.page)).toBe(expected);
    // Each sees the other's named cursor, and still as connected directly.
    await expect(alice.page.locator('.cm-ySelectionInfo')).toHaveText('Bob');
    await editorContent(alice.page).click();
    await expect(bob.page.locator('.cm-ySelectionInfo')).toHaveText('Alice');
    await expect(peopleByRoute(alice.page, 'direct')).toContainText('Bob');

    await relay.start();
    await expect(connectionState(alice.page)).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
    await expect(connectionState(bob.page)).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
    // Without WebRTC, Carol can only have the text from the relay.
    const carol = await peer('Carol', { baseURL: relay.url, webrtc: false, relayStops: true });
    await openDoc(carol.page, path);
    await expect.poll(() => editorText(carol.page)).toBe(expected);
  } finally {
    await relay.dispose();
  }
});

test('a stock y-webrtc client and the web app see each other’s edits', async ({ peer }) => {
  const alice = await peer('Alice');
  const path = newDocPath();
  await openDoc(alice.page, path);
  const docId = path.slice('/d/'.length);
  // Meshpad's room for a document without a room key (packages/client README, "WebRTC mesh").
  const stock = await startStockWebrtcPeer(`meshpad:${docId}`, `${relayUrl().replace(/^http/, 'ws')}/signal`);
  try {
    await expect.poll(() => stock.directPeers(), { timeout: 15_000 }).toBe(1);
    await stock.insert('Hello from a stock y-webrtc client. ');
    await expect.poll(() => editorText(alice.page)).toBe('Hello from a stock y-webrtc client. ');
    await typeAtEnd(alice, 'Meshpad answers.');
    await expect.poll(() => stock.text()).toBe('Hello from a stock y-webrtc client. Meshpad answers.');
    expect((await dataChannelStats(alice.page)).openChannels).toBe(1);

    // The stock client never talks to the relay: Alice forwards its edits there, so a relay-only reader has them.
    const carol = await peer('Carol', { webrtc: false });
    await openDoc(carol.page, path);
    await expect.poll(() => editorText(carol.page)).toBe('Hello from a stock y-webrtc client. Meshpad answers.');
  } finally {
    await stock.close();
  }
});
