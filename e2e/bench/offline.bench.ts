import { mkdir, writeFile } from 'node:fs/promises';
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

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Polls `check` as fast as the pages answer, until it is true; returns the time it became true. */
const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<number> => {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
  }
  return performance.now();
};

/** 1,000 edits typed by the keyboard: ten rounds of 80 characters typed and 20 deleted. */
const typeEdits = async (page: Page, label: string): Promise<void> => {
  await editorContent(page).click();
  await page.keyboard.press('ControlOrMeta+End');
  for (let round = 0; round < EDITS_PER_REPLICA / 100; round++) {
    const line = `${label}${round}:`.padEnd(79, label.toLowerCase());
    await page.keyboard.type(`\n${line}`);
    for (let i = 0; i < 20; i++) await page.keyboard.press('Backspace');
  }
};

test.afterAll(async () => {
  const width = Math.max(...rows.map((row) => row.measure.length));
  console.log(`\n${'measure'.padEnd(width)}  ${'value'.padStart(10)}  unit`);
  for (const row of rows)
    console.log(`${row.measure.padEnd(width)}  ${row.value.toFixed(0).padStart(10)}  ${row.unit}`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `offline-${new Date().toISOString().replaceAll(':', '-')}.json`);
  await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
  console.log(`results: ${file}`);
});

test(`${REPLICAS} replicas with ${EDITS_PER_REPLICA} offline edits each reconnect and converge`, async ({
  browser,
}) => {
  const path = newDocPath();
  const replicas = await Promise.all(
    Array.from({ length: REPLICAS }, (_, i) => newVisitor(browser, `Replica ${i + 1}`, relayUrl())),
  );
  try {
    for (const { page } of replicas) await openDoc(page, path);
    await editorContent(replicas[0]!.page).click();
    await replicas[0]!.page.keyboard.type('# Shared before going offline');
    await until(async () => {
      const texts = await Promise.all(replicas.map(({ page }) => editorText(page)));
      return texts.every((text) => text === '# Shared before going offline');
    }, 'every replica has the heading');
    for (const { context } of replicas) await goOffline(context);
    for (const { page } of replicas) await expect(connectionBadge(page)).toHaveAttribute('data-connection', 'offline');

    await Promise.all(replicas.map(({ page }, i) => typeEdits(page, String.fromCharCode(65 + i))));
    for (const { page } of replicas) {
      expect(await unsavedCount(page)).toBeGreaterThanOrEqual(EDITS_PER_REPLICA);
      const docId = path.slice('/d/'.length);
      const shown = await unsavedCount(page);
      await expect.poll(() => storedUnsavedCount(page, docId)).toBe(shown);
    }

    const online = performance.now();
    await Promise.all(replicas.map(({ context }) => goOnline(context)));
    const connected = await until(
      async () =>
        (await Promise.all(replicas.map(({ page }) => connectionBadge(page).getAttribute('data-connection')))).every(
          (state) => state === 'connected',
        ),
      'every replica reconnects',
    );
    const done = await until(async () => {
      const [texts, unsaved] = await Promise.all([
        Promise.all(replicas.map(({ page }) => editorText(page))),
        Promise.all(replicas.map(({ page }) => saveStatus(page).getAttribute('data-unsaved'))),
      ]);
      return texts.every((text) => text === texts[0]) && unsaved.every((count) => count === '0');
    }, 'every replica holds the same text and has every change saved');
    const text = await editorText(replicas[0]!.page);
    for (const label of ['A', 'B', 'C']) expect(text).toContain(`${label}9:`);
    await expectAllSaved(replicas[0]!.page);

    rows.push(
      {
        measure: `converge ${REPLICAS}x${EDITS_PER_REPLICA} offline edits, from network back`,
        value: done - online,
        unit: 'ms',
      },
      {
        measure: `converge ${REPLICAS}x${EDITS_PER_REPLICA} offline edits, from all connected`,
        value: done - connected,
        unit: 'ms',
      },
      {
        measure: 'reconnect, network back to all connected',
        value: connected - online,
        unit: 'ms',
      },
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
    const length = paste.length * 100;
    await expectAllSaved(page, 60_000);
    await goOffline(context);
    await page.goto('/');

    const times: number[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) {
      const reader = await context.newPage();
      const start = performance.now();
      await reader.goto(path);
      const opened = await until(
        () =>
          editorContent(reader)
            .evaluate((content) => (content.textContent ?? '').length)
            .then((shown) => shown > 0)
            .catch(() => false),
        'the editor shows the document',
      );
      times.push(opened - start);
      expect(await reader.locator('mp-editor').evaluate((editor) => editor.isConnected)).toBe(true);
      await expect(connectionBadge(reader)).toHaveAttribute('data-connection', 'offline');
      await reader.close();
    }
    rows.push(
      {
        measure: `open ${DOC_BYTES / 1024} KB document offline (median of ${OPEN_RUNS})`,
        value: median(times),
        unit: 'ms',
      },
      { measure: `open ${DOC_BYTES / 1024} KB document offline (slowest)`, value: Math.max(...times), unit: 'ms' },
      { measure: 'document size', value: length / 1024, unit: 'KB' },
    );
  } finally {
    await visitor.context.close();
  }
});
