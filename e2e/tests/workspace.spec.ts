import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { editorContent, expect, relayUrl, test } from '../support/fixtures.js';
import { connectionBadge, goOffline, goOnline, newVisitor } from '../support/offline.js';

/** A fresh workspace path, as the app makes them. */
const newWorkspacePath = (): string => `/w/${randomBytes(16).toString('base64url')}`;

type Visitor = { context: BrowserContext; page: Page; problems: string[] };

/** Runs `scenario` with a browser context per person; afterwards, no page may have logged a problem. */
const withPeople = async (
  browser: Browser,
  names: readonly string[],
  scenario: (...people: Visitor[]) => Promise<void>,
): Promise<void> => {
  const people = await Promise.all(names.map((name) => newVisitor(browser, name, relayUrl())));
  try {
    await scenario(...people);
    for (const [i, person] of people.entries()) {
      expect(person.problems, `problems in ${names[i]}’s pages`).toEqual([]);
    }
  } finally {
    for (const person of people) await person.context.close();
  }
};

/** The titles of the workspace's list, in the order shown. */
const listedTitles = (page: Page): Promise<string[]> =>
  page
    .locator('mp-workspace-entry a')
    .allTextContents()
    .then((titles) => titles.map((title) => title.trim()));

const entry = (page: Page, title: string): Locator =>
  page.locator('mp-workspace-entry').filter({ has: page.getByRole('link', { name: title, exact: true }) });

/** Opens the workspace and waits until it has loaded from the relay. */
const openWorkspace = async (page: Page, path: string): Promise<void> => {
  await page.goto(path);
  await expect(connectionBadge(page)).toHaveAttribute('data-connection', 'connected');
  await expect(page.getByText('Loading the workspace…')).toHaveCount(0);
};

/** Creates a document from the workspace page (which opens it), and goes back to the list. */
const createDocument = async (page: Page, title: string): Promise<void> => {
  await page.getByLabel('New document').fill(title);
  await page.getByLabel('New document').press('Enter');
  await expect(page).toHaveURL(/\/w\/[\w-]{22}\/d\/[\w-]{22}$/);
  await page.goBack();
  await expect(entry(page, title)).toBeVisible();
};

const documentTitleField = (page: Page): Locator => page.getByRole('textbox', { name: 'Document title' });

test('two people rename the same document at once, offline, and end with the same title everywhere', async ({
  browser,
}) => {
  await withPeople(browser, ['Alice', 'Bob'], async (alice, bob) => {
    const workspace = newWorkspacePath();
    await openWorkspace(alice.page, workspace);
    await alice.page.getByLabel('New document').fill('Plan');
    await alice.page.getByLabel('New document').press('Enter');
    await expect(editorContent(alice.page)).toBeVisible();
    await expect(documentTitleField(alice.page)).toHaveValue('Plan');
    await expect(alice.page).toHaveTitle('Plan · Meshpad');
    await expect(alice.page.getByRole('link', { name: 'Untitled workspace' })).toHaveAttribute('href', workspace);
    // The text's first line does not replace a title given in the workspace.
    await editorContent(alice.page).click();
    await alice.page.keyboard.type('# Agenda');
    await expect(documentTitleField(alice.page)).toHaveValue('Plan');
    await openWorkspace(bob.page, workspace);
    await expect.poll(() => listedTitles(bob.page)).toEqual(['Plan']);

    // Alice renames in the editor's header, Bob in the list, neither seeing the other's.
    await goOffline(alice.context);
    await goOffline(bob.context);
    await documentTitleField(alice.page).fill('Plan for Monday');
    await documentTitleField(alice.page).press('Enter');
    await expect(alice.page).toHaveTitle('Plan for Monday · Meshpad');
    await entry(bob.page, 'Plan').getByRole('button', { name: 'Rename Plan' }).click();
    await bob.page.getByRole('textbox', { name: 'New title for Plan' }).fill('Monday plan');
    await bob.page.getByRole('textbox', { name: 'New title for Plan' }).press('Enter');
    await expect.poll(() => listedTitles(bob.page)).toEqual(['Monday plan']);
    await goOnline(alice.context);
    await goOnline(bob.context);

    // Last writer wins, by hybrid logical clock: whichever it is, both end with it, in the header, tab and list.
    const sameTitle = async (): Promise<boolean> => {
      const listed = await listedTitles(bob.page);
      return listed.length === 1 && listed[0] === (await documentTitleField(alice.page).inputValue());
    };
    await expect.poll(sameTitle, { timeout: 15_000 }).toBe(true);
    const title = await documentTitleField(alice.page).inputValue();
    expect(['Plan for Monday', 'Monday plan']).toContain(title);
    await expect(alice.page).toHaveTitle(`${title} · Meshpad`);

    // A blank title gives the heading back to the text's first line. Bob's browser has not seen the text yet.
    await documentTitleField(alice.page).fill('');
    await documentTitleField(alice.page).press('Enter');
    await expect(documentTitleField(alice.page)).toHaveValue('Agenda');
    await expect(alice.page).toHaveTitle('Agenda · Meshpad');
    await expect.poll(() => listedTitles(bob.page)).toEqual(['Untitled document']);
    await bob.page.getByRole('link', { name: 'Untitled document' }).click();
    await expect(documentTitleField(bob.page)).toHaveValue('Agenda');
    await expect(bob.page).toHaveTitle('Agenda · Meshpad');
    await bob.page.getByRole('link', { name: 'Untitled workspace' }).click();
    await expect(bob.page).toHaveURL(new RegExp(`${workspace}$`));
    await expect.poll(() => listedTitles(bob.page)).toEqual(['Agenda']);
  });
});

test('a document removed by one person while the other renames or re-adds it stays in the list (add wins)', async ({
  browser,
}) => {
  await withPeople(browser, ['Alice', 'Bob'], async (alice, bob) => {
    const workspace = newWorkspacePath();
    await openWorkspace(alice.page, workspace);
    for (const title of ['Budget', 'Minutes', 'Old notes']) await createDocument(alice.page, title);
    await openWorkspace(bob.page, workspace);
    await expect.poll(() => listedTitles(bob.page)).toEqual(['Budget', 'Minutes', 'Old notes']);

    await goOffline(alice.context);
    await goOffline(bob.context);
    for (const title of ['Budget', 'Minutes', 'Old notes']) {
      await entry(alice.page, title)
        .getByRole('button', { name: `Remove ${title} from the workspace` })
        .click();
    }
    await expect.poll(() => listedTitles(alice.page)).toEqual([]);
    // Meanwhile Bob renames one (with the keyboard) and removes then re-adds (undoes) another.
    await entry(bob.page, 'Budget').getByRole('button', { name: 'Rename Budget' }).press('Enter');
    const rename = bob.page.getByRole('textbox', { name: 'New title for Budget' });
    await expect(rename).toBeFocused();
    await rename.fill('Budget 2025');
    await rename.press('Enter');
    await expect(bob.page.getByRole('button', { name: 'Rename Budget 2025' })).toBeFocused();
    await entry(bob.page, 'Minutes').getByRole('button', { name: 'Remove Minutes from the workspace' }).click();
    await expect(bob.page.getByRole('button', { name: 'Undo' })).toBeFocused();
    await bob.page.keyboard.press('Enter');
    await expect.poll(() => listedTitles(bob.page)).toEqual(['Budget 2025', 'Minutes', 'Old notes']);

    await goOnline(alice.context);
    await goOnline(bob.context);
    const kept = ['Budget 2025', 'Minutes'];
    await expect.poll(() => listedTitles(alice.page), { timeout: 15_000 }).toEqual(kept);
    await expect.poll(() => listedTitles(bob.page), { timeout: 15_000 }).toEqual(kept);
  });
});

test('tags, names and removals sync live; the home page lists the workspace', async ({ browser }) => {
  await withPeople(browser, ['Alice', 'Bob'], async (alice, bob) => {
    await alice.page.goto('/');
    await alice.page.getByRole('button', { name: 'New workspace' }).click();
    await expect(alice.page).toHaveURL(/\/w\/[\w-]{22}$/);
    const workspace = new URL(alice.page.url()).pathname;
    await expect(alice.page.getByText('No documents yet. Create one above.')).toBeVisible();
    const name = alice.page.getByRole('textbox', { name: 'Workspace name' });
    await name.fill('Garden club');
    await name.press('Enter');
    await expect(alice.page).toHaveTitle('Garden club · Meshpad');
    await createDocument(alice.page, 'Seeds');
    await createDocument(alice.page, 'Tools');

    await openWorkspace(bob.page, workspace);
    await expect(bob.page.getByRole('textbox', { name: 'Workspace name' })).toHaveValue('Garden club');

    const addTag = alice.page.getByRole('textbox', { name: 'Add a tag to Seeds' });
    for (const tag of ['spring', ' to buy ']) {
      await addTag.fill(tag);
      await addTag.press('Enter');
    }
    const bobTags = bob.page.getByRole('list', { name: 'Tags of Seeds' }).getByRole('listitem');
    await expect(bobTags).toHaveText(['spring', 'to buy']);
    await bob.page.getByRole('button', { name: 'Remove tag spring from Seeds' }).click();
    await expect(bob.page.getByRole('textbox', { name: 'Add a tag to Seeds' })).toBeFocused();
    await expect(alice.page.getByRole('list', { name: 'Tags of Seeds' }).getByRole('listitem')).toHaveText(['to buy']);

    // A removal reaches the other person; its undo brings the document back with its tags.
    await entry(bob.page, 'Seeds').getByRole('button', { name: 'Remove Seeds from the workspace' }).click();
    await expect(bob.page.getByRole('status').filter({ hasText: '“Seeds” was removed' })).toBeVisible();
    await expect.poll(() => listedTitles(alice.page)).toEqual(['Tools']);
    await bob.page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => listedTitles(alice.page)).toEqual(['Seeds', 'Tools']);
    await expect(alice.page.getByRole('list', { name: 'Tags of Seeds' }).getByRole('listitem')).toHaveText(['to buy']);

    await alice.page.getByRole('link', { name: 'Meshpad home' }).click();
    await alice.page.getByRole('link', { name: /Garden club/ }).click();
    await expect(alice.page).toHaveURL(new RegExp(`${workspace}$`));
    // `/d/<id>` still opens a document on its own, without the workspace's title field.
    await bob.page.goto(`/d/${randomBytes(16).toString('base64url')}`);
    await expect(editorContent(bob.page)).toBeVisible();
    await expect(documentTitleField(bob.page)).toHaveCount(0);
  });
});
