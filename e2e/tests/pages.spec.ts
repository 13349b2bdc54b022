import { editorContent, editorText, expect, openDoc, relayUrl, test } from '../support/fixtures.js';

test('the New document button opens a fresh document, and the home page lists it afterwards', async ({ person }) => {
  const { page } = await person('Dana');
  await page.goto('/');
  await expect(page.getByText('Documents you open in this browser will be listed here.')).toBeVisible();

  await page.getByRole('button', { name: 'New document' }).click();
  await expect(page).toHaveURL(/\/d\/[A-Za-z0-9_-]{22}$/);
  const docUrl = page.url();
  await expect(editorContent(page)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
  await expect(editorContent(page)).toBeFocused();
  await page.keyboard.type('# Grocery list');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Grocery list');
  await expect(page).toHaveTitle('Grocery list · Meshpad');

  await page.getByRole('link', { name: 'Meshpad home' }).click();
  await expect(page).toHaveURL(/\/$/);
  const recent = page.getByRole('link', { name: /Grocery list/ });
  await expect(recent).toContainText('Opened just now');
  await recent.click();
  await expect(page).toHaveURL(docUrl);
  await expect(editorContent(page)).toBeVisible();
  expect(await editorText(page)).toBe('# Grocery list');
});

test('the share dialog copies the document link and says so', async ({ person }) => {
  const { page, context } = await person('Eve');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relayUrl() });
  await openDoc(page, `/d/${'A'.repeat(21)}Q`);
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Link copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
});

test('select all, find and the shortcuts panel work from the keyboard', async ({ person }) => {
  const { page } = await person('Finn');
  await openDoc(page, `/d/${'B'.repeat(21)}Q`);
  await editorContent(page).click();
  await page.keyboard.type('one two three two');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('replaced');
  await expect.poll(() => editorText(page)).toBe('replaced');

  await page.keyboard.press('ControlOrMeta+f');
  await expect(page.getByRole('textbox', { name: 'Find' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('textbox', { name: 'Find' })).toHaveCount(0);

  const shortcuts = page.getByRole('button', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toHaveAttribute('aria-expanded', 'false');
  await shortcuts.click();
  await expect(shortcuts).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByText('Undo your last change')).toBeVisible();
});

test('a link that is not a document shows a helpful page', async ({ person }) => {
  const { page } = await person('Gus');
  await page.goto('/d/not-a-real-id');
  await expect(page.getByRole('heading', { name: 'There is no document here' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page.getByRole('button', { name: 'New document' })).toBeVisible();
});
