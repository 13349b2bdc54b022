import { CloseCode, type CloseCodeInfo } from '@meshpad/protocol';
import type { Page } from '@playwright/test';
import { editorContent, editorText, expect, newDocPath, test } from '../support/fixtures.js';
import { connectionBadge, expectAllSaved, saveStatus } from '../support/offline.js';

const SYNC = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** A sync message whose update carries nothing: `[0, 0]` after its length. */
const EMPTY_UPDATE = [2, 0, 0];

/** Whether a frame from the page carries edits: a sync step 2 or update that is not empty. */
const carriesEdits = (message: string | Buffer): boolean => {
  if (typeof message === 'string' || message[0] !== SYNC) return false;
  if (message[1] !== SYNC_STEP2 && message[1] !== SYNC_UPDATE) return false;
  return !(message.length === 5 && EMPTY_UPDATE.every((byte, i) => message[2 + i] === byte));
};

/**
 * Puts a relay in front of the page's document connection that, while `refusal` is set, closes the connection with
 * that code on every frame carrying edits instead of passing it on, as the real relay does with an invalid update or
 * one over the document's size limit. Returns the controls and how many connections the page has opened.
 */
const refusingRelay = async (page: Page) => {
  const controls = { refusal: undefined as CloseCodeInfo | undefined, connections: 0 };
  await page.routeWebSocket(
    (url) => url.pathname.startsWith('/yjs/'),
    (ws) => {
      controls.connections++;
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const refusal = controls.refusal;
        if (refusal !== undefined && carriesEdits(message)) ws.close({ code: refusal.code, reason: refusal.reason });
        else server.send(message);
      });
    },
  );
  return controls;
};

const relayProblem = (page: Page) => page.locator('mp-connection-status [role="alert"]');

/** Opens a new document through the routed connection, which adds its own delay on a busy machine. */
const openNewDoc = async (page: Page): Promise<void> => {
  test.setTimeout(60_000);
  await page.goto(newDocPath());
  await expect(editorContent(page)).toBeVisible({ timeout: 20_000 });
  await expectAllSaved(page);
};

test('a relay that refuses an edit for good: the page says syncing stopped, why, and keeps the edit', async ({
  person,
}) => {
  const alice = await person('Alice');
  const relay = await refusingRelay(alice.page);
  await openNewDoc(alice.page);
  relay.refusal = CloseCode.InvalidUpdate;
  await editorContent(alice.page).click();
  await alice.page.keyboard.type('Refused.');

  await expect(relayProblem(alice.page)).toContainText('The relay refused a change from this browser');
  await expect(relayProblem(alice.page)).toContainText('Your edits are kept in this browser');
  await expect(relayProblem(alice.page)).toHaveAttribute('data-close-code', String(CloseCode.InvalidUpdate.code));
  await expect(connectionBadge(alice.page)).toContainText('Not syncing');
  await expect(saveStatus(alice.page)).toContainText(/not saved yet/);
  const connections = relay.connections;
  // y-websocket would have retried within 200 ms after a transient close.
  await alice.page.waitForTimeout(1_500);
  expect(relay.connections).toBe(connections);
  expect(await editorText(alice.page)).toBe('Refused.');
});

test('a document at the relay’s size limit: the page explains it steadily while refused, then saves', async ({
  person,
}) => {
  const alice = await person('Alice');
  const relay = await refusingRelay(alice.page);
  await openNewDoc(alice.page);
  relay.refusal = CloseCode.DocumentTooLarge;
  await editorContent(alice.page).click();
  await alice.page.keyboard.type('One edit too many.');

  await expect(relayProblem(alice.page)).toContainText('This document has reached the relay’s size limit.');
  await expect(relayProblem(alice.page)).toContainText('Deleting text is still accepted');
  const connections = relay.connections;
  await expect.poll(() => relay.connections).toBeGreaterThan(connections + 1);
  await expect(relayProblem(alice.page)).toContainText('size limit');
  await expect(connectionBadge(alice.page)).toContainText('Not saving');

  relay.refusal = undefined;
  await expectAllSaved(alice.page);
  await expect(relayProblem(alice.page)).toHaveCount(0);
  await expect(connectionBadge(alice.page)).toContainText('Connected');
});
