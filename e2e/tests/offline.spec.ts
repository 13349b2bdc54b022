import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editorContent, editorText, expect, newDocPath, openDoc, relayUrl, test } from '../support/fixtures.js';
import {
  connectionBadge,
  expectAllSaved,
  goOffline,
  goOnline,
  newProfile,
  newVisitor,
  placeCursor,
  saveStatus,
  storedUnsavedCount,
  unsavedCount,
} from '../support/offline.js';
import { startRelay } from '../support/relay-process.js';

const docIdOf = (path: string): string => path.slice('/d/'.length);

const TRIP = ['# Trip plan', 'day one: museum and lunch', 'day two: beach', 'day three: hike'].join('\n');

test('edits made offline survive a browser restart, then merge with edits made online meanwhile', async ({
  browser,
}) => {
  // Two launches of Chromium and a reconnect after backing off: slower than the usual test on a busy machine.
  test.setTimeout(60_000);
  const baseURL = relayUrl();
  const path = newDocPath();
  const profile = await newProfile('Alice', baseURL);
  let alice = await profile.launch();
  const bob = await newVisitor(browser, 'Bob', baseURL);
  try {
    await openDoc(alice.page, path);
    await editorContent(alice.page).click();
    await alice.page.keyboard.insertText(TRIP);
    await expectAllSaved(alice.page);
    // The service worker has the app cached once it is active.
    await alice.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await openDoc(bob.page, path);
    expect(await editorText(bob.page)).toBe(TRIP);

    await goOffline(alice.context);
    await expect(connectionBadge(alice.page)).toHaveAttribute('data-connection', 'offline');
    // Alice, offline: appends to the heading, deletes " and lunch", adds a last line.
    await placeCursor(alice.page, 1, 'end');
    await alice.page.keyboard.type(' (draft)');
    await placeCursor(alice.page, 2, 'end');
    for (let i = 0; i < ' and lunch'.length; i++) await alice.page.keyboard.press('Backspace');
    await alice.page.keyboard.press('ControlOrMeta+End');
    await alice.page.keyboard.press('Enter');
    await alice.page.keyboard.type('day four: rest');
    const aliceOffline = '# Trip plan (draft)\nday one: museum\nday two: beach\nday three: hike\nday four: rest';
    expect(await editorText(alice.page)).toBe(aliceOffline);
    await expect(saveStatus(alice.page)).toContainText(/\d+ changes not saved yet/);
    const unsaved = await unsavedCount(alice.page);
    expect(unsaved).toBeGreaterThan(20);
    // The browser closes once the local copy holds every change.
    await expect.poll(() => storedUnsavedCount(alice.page, docIdOf(path))).toBe(unsaved);
    await alice.context.close();

    // Bob, online meanwhile: adds to day two, and replaces "three" by "3".
    await editorContent(bob.page).click();
    await placeCursor(bob.page, 3, 'end');
    await bob.page.keyboard.type(', swim');
    await placeCursor(bob.page, 4, 10);
    for (let i = 0; i < 'three'.length; i++) await bob.page.keyboard.press('Backspace');
    await bob.page.keyboard.type('3');
    await expect
      .poll(() => editorText(bob.page))
      .toBe('# Trip plan\nday one: museum and lunch\nday two: beach, swim\nday 3: hike');
    await expectAllSaved(bob.page);

    // Alice's browser starts again with no network: the service worker serves the app, IndexedDB the document.
    alice = await profile.launch({ offline: true });
    const response = await alice.page.goto(path);
    expect(response?.fromServiceWorker()).toBe(true);
    await expect(editorContent(alice.page)).toBeVisible();
    expect(await editorText(alice.page)).toBe(aliceOffline);
    await expect(connectionBadge(alice.page)).toHaveAttribute('data-connection', 'offline');
    await expect(saveStatus(alice.page)).toHaveAttribute('data-unsaved', String(unsaved));
    await expect(saveStatus(alice.page)).toContainText(`${unsaved} changes not saved yet`);

    await goOnline(alice.context);
    const merged = '# Trip plan (draft)\nday one: museum\nday two: beach, swim\nday 3: hike\nday four: rest';
    await expect.poll(() => editorText(alice.page), { timeout: 15_000 }).toBe(merged);
    await expect.poll(() => editorText(bob.page)).toBe(merged);
    await expectAllSaved(alice.page);
    await expect(connectionBadge(alice.page)).toHaveAttribute('data-connection', 'connected');
    expect(alice.problems, 'problems in Alice’s pages').toEqual([]);
    expect(bob.problems, 'problems in Bob’s page').toEqual([]);
  } finally {
    await alice.context.close();
    await bob.context.close();
    await profile.remove();
  }
});

test('while the relay restarts the unsaved count goes up, and back to zero once the relay has stored the changes', async ({
  browser,
}, testInfo) => {
  // Three relay starts.
  test.setTimeout(60_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'meshpad-e2e-restart-'));
  const log = (n: number) => testInfo.outputPath(`relay-${n}.log`);
  let relay = await startRelay(log(1), { dataDir });
  const path = newDocPath();
  const alice = await newVisitor(browser, 'Alice', relay.url);
  try {
    await openDoc(alice.page, path);
    await editorContent(alice.page).click();
    await alice.page.keyboard.type('before the restart.');
    await expectAllSaved(alice.page);

    await relay.stop();
    await expect(connectionBadge(alice.page)).toHaveAttribute('data-connection', 'offline');
    await alice.page.keyboard.press('ControlOrMeta+Home');
    await alice.page.keyboard.press('Delete');
    await alice.page.keyboard.type('B');
    await alice.page.keyboard.press('ControlOrMeta+End');
    await alice.page.keyboard.type(' While it was down.');
    await expect(saveStatus(alice.page)).toHaveAttribute('data-unsaved', String(2 + ' While it was down.'.length));

    relay = await startRelay(log(2), { dataDir, port: relay.port });
    await expect(connectionBadge(alice.page)).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
    await expectAllSaved(alice.page);

    // "Saved" means stored: a relay that crashes right after still has every change.
    await relay.stop('SIGKILL');
    relay = await startRelay(log(3), { dataDir, port: relay.port });
    const carol = await newVisitor(browser, 'Carol', relay.url);
    await openDoc(carol.page, path);
    expect(await editorText(carol.page)).toBe('Before the restart. While it was down.');
    await carol.context.close();
    expect(alice.problems).toEqual([]);
    expect(carol.problems).toEqual([]);
  } finally {
    await alice.context.close();
    await relay.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('two tabs of one browser keep each other in step with no network', async ({ browser }) => {
  const path = newDocPath();
  const visitor = await newVisitor(browser, 'Dana', relayUrl());
  try {
    const first = visitor.page;
    const second = await visitor.context.newPage();
    await openDoc(first, path);
    await openDoc(second, path);
    await goOffline(visitor.context);
    await expect(connectionBadge(first)).toHaveAttribute('data-connection', 'offline');
    await expect(connectionBadge(second)).toHaveAttribute('data-connection', 'offline');

    await editorContent(first).click();
    await first.keyboard.type('typed in the first tab');
    await expect.poll(() => editorText(second)).toBe('typed in the first tab');
    await editorContent(second).click();
    await second.keyboard.press('ControlOrMeta+End');
    await second.keyboard.type(', answered in the second');
    await expect.poll(() => editorText(first)).toBe('typed in the first tab, answered in the second');

    // The home page marks the document as available offline, and removes its copy after a confirmation.
    await first.goto('/');
    const entry = first.getByRole('listitem').filter({ hasText: 'typed in the first tab' });
    await expect(entry).toContainText('Available offline');
    await expect(entry).toContainText(/changes not saved yet/);
    first.once('dialog', (dialog) => dialog.accept());
    await entry.getByRole('button', { name: /Remove the local copy/ }).click();
    await expect(entry).not.toContainText('Available offline');
    expect(visitor.problems).toEqual([]);
  } finally {
    await visitor.context.close();
  }
});

test('without IndexedDB the page says so, and leaving with changes only in memory asks first', async ({ browser }) => {
  const visitor = await newVisitor(browser, 'Eve', relayUrl());
  try {
    await visitor.context.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
    });
    const { page } = visitor;
    await openDoc(page, newDocPath());
    await expect(page.getByRole('alert')).toContainText('does not let Meshpad keep documents offline');
    await goOffline(visitor.context);
    await expect(connectionBadge(page)).toHaveAttribute('data-connection', 'offline');
    await editorContent(page).click();
    await page.keyboard.type('only in memory');
    await expect(saveStatus(page)).toContainText('only in this tab');

    const dialog = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const warning = await dialog;
    expect(warning.type()).toBe('beforeunload');
    await warning.dismiss();
    expect(page.isClosed()).toBe(false);
    expect(visitor.problems).toEqual([]);
  } finally {
    await visitor.context.close();
  }
});
