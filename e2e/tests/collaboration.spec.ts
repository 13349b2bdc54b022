import { editorContent, editorText, expect, newDocPath, openDoc, type Person, test } from '../support/fixtures.js';

const ALICE_TYPES = ' for the week: alice wrote this sentence, 123!';
const BOB_TYPES = 'Bob adds a line at the end (with symbols #*_~) and keeps going.';

/** Both people open the same new document; Alice writes a heading that Bob then sees. */
const openShared = async (alice: Person, bob: Person): Promise<string> => {
  const path = newDocPath();
  await openDoc(alice.page, path);
  await openDoc(bob.page, path);
  await editorContent(alice.page).click();
  await alice.page.keyboard.type('# Plan');
  await alice.page.keyboard.press('Enter');
  await alice.page.keyboard.press('Enter');
  await expect.poll(() => editorText(bob.page)).toBe('# Plan\n\n');
  return path;
};

test('two people typing at the same time end with the same text, containing everything each typed', async ({
  person,
}) => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  await openShared(alice, bob);

  // Alice types at the end of the heading, Bob at the end of the document: concurrently, keystroke by keystroke.
  await alice.page.keyboard.press('ControlOrMeta+Home');
  await alice.page.keyboard.press('End');
  await editorContent(bob.page).click();
  await bob.page.keyboard.press('ControlOrMeta+End');
  await Promise.all([
    alice.page.keyboard.type(ALICE_TYPES, { delay: 12 }),
    bob.page.keyboard.type(BOB_TYPES, { delay: 12 }),
  ]);

  const expected = `# Plan${ALICE_TYPES}\n\n${BOB_TYPES}`;
  await expect.poll(() => editorText(alice.page)).toBe(expected);
  await expect.poll(() => editorText(bob.page)).toBe(expected);
  const text = await editorText(alice.page);
  expect(text).toContain(`# Plan${ALICE_TYPES}`);
  expect(text).toContain(BOB_TYPES);
  // The title follows the first line for both of them.
  await expect(bob.page.getByRole('heading', { level: 1 })).toHaveText(`Plan${ALICE_TYPES}`);
});

test('each person sees the other in the presence list and their named cursor in the text', async ({ person }) => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  await openShared(alice, bob);
  await editorContent(bob.page).click();

  await expect(alice.page.locator('.cm-ySelectionInfo')).toHaveText('Bob');
  await expect(bob.page.locator('.cm-ySelectionInfo')).toHaveText('Alice');

  const people = alice.page.locator('mp-presence-list li');
  await expect(people).toHaveCount(2);
  await expect(people.nth(0)).toContainText('Alice');
  await expect(people.nth(0)).toContainText('(you)');
  await expect(people.nth(1)).toContainText('Bob');
  await expect(people.nth(1)).not.toContainText('(you)');

  // A new name reaches the other person, in the list and on the cursor, and is remembered across a reload.
  const newName = 'Roberta Fernández-Oyelaran';
  const nameField = bob.page.getByLabel('Your name');
  await expect(nameField).toHaveValue('Bob');
  await nameField.fill(newName);
  await nameField.press('Enter');
  await expect(people.nth(1)).toContainText(newName);
  await expect(alice.page.locator('.cm-ySelectionInfo')).toHaveText(newName);
  // However long the name, the list shows it (cut with an ellipsis) rather than squeezing it away.
  const shown = await people.nth(1).locator('.name').boundingBox();
  expect(shown?.width).toBeGreaterThan(100);
  await bob.page.reload();
  await expect(bob.page.getByLabel('Your name')).toHaveValue(newName);
});

test('undo reverts only your own typing, never the other person’s', async ({ person }) => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  await openShared(alice, bob);
  await alice.page.keyboard.type('alice line');
  await editorContent(bob.page).click();
  await bob.page.keyboard.press('ControlOrMeta+End');
  await bob.page.keyboard.type(' and bob');
  await expect.poll(() => editorText(alice.page)).toBe('# Plan\n\nalice line and bob');

  // Undo groups keystrokes that are close in time, so press it until all of Alice's typing is gone (bounded).
  await editorContent(alice.page).click();
  const aliceText = /Plan|alice/;
  for (let i = 0; i < 6 && aliceText.test(await editorText(alice.page)); i++) {
    await alice.page.keyboard.press('ControlOrMeta+z');
  }
  await expect.poll(() => editorText(alice.page)).toBe(' and bob');
  await expect.poll(() => editorText(bob.page)).toBe(' and bob');

  for (let i = 0; i < 6 && !(await editorText(alice.page)).includes('alice line'); i++) {
    await alice.page.keyboard.press('ControlOrMeta+Shift+KeyZ');
  }
  await expect.poll(() => editorText(bob.page)).toBe('# Plan\n\nalice line and bob');
});

test('a reload keeps the text, and the relay gives it to a newcomer', async ({ person }) => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  const path = await openShared(alice, bob);
  await alice.page.keyboard.type('Saved by the relay, not by this tab.');
  const expected = '# Plan\n\nSaved by the relay, not by this tab.';
  await expect.poll(() => editorText(bob.page)).toBe(expected);

  await alice.page.reload();
  await expect(editorContent(alice.page)).toBeVisible();
  expect(await editorText(alice.page)).toBe(expected);

  await alice.context.close();
  await bob.context.close();
  const carol = await person('Carol');
  await openDoc(carol.page, path);
  // The editor starts from the loaded text: it is there as soon as the editor is.
  expect(await editorText(carol.page)).toBe(expected);
});
