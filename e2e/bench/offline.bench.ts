import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { editorContent, editorText, expect, newDocPath, openDoc, relayUrl, test } from '../support/fixtures.js';
import {
  connectionBadge,
  expectAllSaved,
  goOffline,
  goOnline,
  newVisitor,
  saveStatus,
  storedUnsavedCount,
  unsavedCount,
} from '../support/offline.js';

const REPLICAS = 3;
const EDITS_PER_REPLICA = 1_000;
const DOC_BYTES = 500 * 1024;
const OPEN_RUNS = 5;
const RESULTS_DIR = join(import.meta.dirname, 'results');

interface Row {
  readonly measure: string;
  readonly value: number;
  readonly unit: string;
}
const rows: Row[] = [];

/** When a replica saw each step, by its own clock (ms since the epoch). */
interface PageTimes {
  readonly online: number;
  readonly connected: number;
  readonly saved: number;
  readonly changed: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Polls `check` until it is true, failing after `timeoutMs`. */
const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
  }
};

/** 1,000 edits typed by the keyboard: ten rounds of 80 characters typed and 20 deleted. */
const typeEdits = async (page: Page, label: string): Promise<void> => {
  await editorContent(page).click();
  await page.keyboard.press('ControlOrMeta+End');
  for (let round = 0; round < EDITS_PER_REPLICA / 100; round++) {
    await page.keyboard.type(`\n${`${label}${round}:`.padEnd(79, label.toLowerCase())}`);
    for (let i = 0; i < 20; i++) await page.keyboard.press('Backspace');
  }
};

/**
 * Makes the page note when the network comes back, when its relay connection opens, when its save status last reaches
 * zero and when its text last changes, so that polling busy pages from the test adds nothing to the measurement.
 */
const recordTimes = (page: Page): Promise<void> =>
  page.evaluate(() => {
    const times = { online: 0, connected: 0, saved: 0, changed: 0 };
    Object.assign(window, { __benchTimes: times });
    const doc = document.querySelector('mp-app')?.shadowRoot?.querySelector('mp-doc-page')?.shadowRoot;
    const badge = doc?.querySelector('mp-connection-status')?.shadowRoot?.querySelector('[data-connection]');
    const save = doc?.querySelector('mp-save-status')?.shadowRoot?.querySelector('[data-unsaved]');
    const content = doc?.querySelector('mp-editor')?.shadowRoot?.querySelector('.cm-content');
    if (!badge || !save || !content) throw new Error('the document page is not open');
    window.addEventListener('online', () => {
      times.online = Date.now();
    });
    new MutationObserver(() => {
      if (times.connected === 0 && badge.getAttribute('data-connection') === 'connected') times.connected = Date.now();
    }).observe(badge, { attributes: true });
    new MutationObserver(() => {
      if (save.getAttribute('data-unsaved') === '0') times.saved = Date.now();
    }).observe(save, { attributes: true });
    new MutationObserver(() => {
      times.changed = Date.now();
    }).observe(content, { childList: true, subtree: true, characterData: true });
  });

test.afterAll(async () => {
  rows.push({ measure: 'machine load average (1 min) at the end', value: loadavg()[0]!, unit: '' });
  const width = Math.max(...rows.map((row) => row.measure.length));
  console.log(`\n${'measure'.padEnd(width)}  ${'value'.padStart(10)}  unit`);
  for (const { measure, value, unit } of rows) {
    console.log(`${measure.padEnd(width)}  ${value.toFixed(unit === '' ? 1 : 0).padStart(10)}  ${unit}`);
  }
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `offline-${new Date().toISOString().replaceAll(':', '-')}.json`);
  await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
  console.log(`results: ${file}`);
});

test(`${REPLICAS} replicas with ${EDITS_PER_REPLICA} offline edits each reconnect and converge`, async ({
  browser,
}) => {
  const path = newDocPath();
  const docId = path.slice('/d/'.length);
  const replicas = await Promise.all(
    Array.from({ length: REPLICAS }, (_, i) => newVisitor(browser, `Replica ${i + 1}`, relayUrl())),
  );
  try {
    for (const { page } of replicas) await openDoc(page, path);
    await editorContent(replicas[0]!.page).click();
    await replicas[0]!.page.keyboard.type('# Shared before going offline');
    await until(
      async () =>
        (await Promise.all(replicas.map(({ page }) => editorText(page)))).every(
          (text) => text === '# Shared before going offline',
        ),
      'every replica has the heading',
    );
    for (const { context } of replicas) await goOffline(context);
    for (const { page } of replicas) await expect(connectionBadge(page)).toHaveAttribute('data-connection', 'offline');

    await Promise.all(replicas.map(({ page }, i) => typeEdits(page, String.fromCharCode(65 + i))));
    for (const { page } of replicas) {
      const shown = await unsavedCount(page);
      expect(shown).toBeGreaterThanOrEqual(EDITS_PER_REPLICA);
      await expect.poll(() => storedUnsavedCount(page, docId)).toBe(shown);
      await recordTimes(page);
    }

    await Promise.all(replicas.map(({ context }) => goOnline(context)));
    await until(async () => {
      const [texts, unsaved] = await Promise.all([
        Promise.all(replicas.map(({ page }) => editorText(page))),
        Promise.all(replicas.map(({ page }) => saveStatus(page).getAttribute('data-unsaved'))),
      ]);
      return texts.every((text) => text === texts[0]) && unsaved.every((count) => count === '0');
    }, 'every replica holds the same text and has every change saved');
    const text = await editorText(replicas[0]!.page);
    for (const label of ['A', 'B', 'C']) expect(text).toContain(`\n${label}9:`);
    await expectAllSaved(replicas[0]!.page);

    const times = await Promise.all(
      replicas.map(({ page }) => page.evaluate(() => (window as unknown as { __benchTimes: PageTimes }).__benchTimes)),
    );
    const online = Math.min(...times.map((t) => t.online));
    const connected = Math.max(...times.map((t) => t.connected));
    const done = Math.max(...times.map((t) => Math.max(t.saved, t.changed)));
    const edits = `${REPLICAS}x${EDITS_PER_REPLICA} offline edits`;
    rows.push(
      { measure: `${edits}: network back to identical text, all saved`, value: done - online, unit: 'ms' },
      { measure: `${edits}: network back to all connected`, value: connected - online, unit: 'ms' },
      { measure: `${edits}: all connected to identical text, all saved`, value: done - connected, unit: 'ms' },
    );
  } finally {
    for (const { context } of replicas) await context.close();
  }
});

test(`a ${DOC_BYTES / 1024} KB document opens from IndexedDB with the network off`, async ({ browser }) => {
  const path = newDocPath();
  const visitor = await newVisitor(browser, 'Reader', relayUrl());
  try {
    const { page, context } = visitor;
    await openDoc(page, path);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await editorContent(page).click();
    // A hundred pastes of 5 KB: a copy made of many writes, compacted on the way, as a long-lived document's is.
    const line = `${'lorem ipsum dolor sit amet '.repeat(3).slice(0, 79)}\n`;
    const paste = line.repeat(Math.ceil(DOC_BYTES / 100 / line.length));
    for (let i = 0; i < 100; i++) await page.keyboard.insertText(paste);
    await expectAllSaved(page, 60_000);
    await goOffline(context);
    await page.goto('/');

    const times: number[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) {
      const reader = await context.newPage();
      // The page notes, by its own clock from the start of the navigation, when the editor first shows the text.
      await reader.addInitScript(() => {
        const check = (): void => {
          const content = document
            .querySelector('mp-app')
            ?.shadowRoot?.querySelector('mp-doc-page')
            ?.shadowRoot?.querySelector('mp-editor')
            ?.shadowRoot?.querySelector('.cm-content');
          if ((content?.textContent ?? '').startsWith('lorem'))
            Object.assign(window, { __openedAt: performance.now() });
          else setTimeout(check, 2);
        };
        check();
      });
      await reader.goto(path);
      await until(() => reader.evaluate(() => '__openedAt' in window).catch(() => false), 'the editor shows the text');
      times.push(await reader.evaluate(() => (window as unknown as { __openedAt: number }).__openedAt));
      await expect(connectionBadge(reader)).toHaveAttribute('data-connection', 'offline');
      await reader.close();
    }
    rows.push(
      {
        measure: `open a ${DOC_BYTES / 1024} KB document offline, median of ${OPEN_RUNS}`,
        value: median(times),
        unit: 'ms',
      },
      { measure: `open a ${DOC_BYTES / 1024} KB document offline, slowest`, value: Math.max(...times), unit: 'ms' },
      { measure: 'document size', value: (paste.length * 100) / 1024, unit: 'KB' },
    );
  } finally {
    await visitor.context.close();
  }
});
