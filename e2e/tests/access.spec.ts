import { startDedicatedRelay } from '../support/dedicated-relay.js';
import { editorContent, editorText, type Person } from '../support/fixtures.js';
import { connectionState, dataChannelStats, expect, peopleByRoute, test } from '../support/webrtc.js';

/** Clicks at the end of the text and types `text`. */
const typeAtEnd = async (person: Person, text: string): Promise<void> => {
  await editorContent(person.page).click();
  await person.page.keyboard.press('ControlOrMeta+End');
  await person.page.keyboard.type(text);
};

/** The link of `scope` the owner's Share dialog shows, read with the dialog open and closed again. */
const sharedLink = async (owner: Person, scope: 'edit' | 'view'): Promise<string> => {
  await owner.page.getByRole('button', { name: 'Share' }).click();
  const input = owner.page.locator(`section[data-scope=${scope}] input`);
  await expect(input).toHaveValue(/#.*(edit|view)=/);
  const link = await input.inputValue();
  await owner.page.keyboard.press('Escape');
  return link;
};

// A relay of its own that requires tokens, as every relay beyond loopback does.
test('an owner shares edit and view links; rotating the edit link cuts its holder off, mesh included', async ({
  peer,
}) => {
  test.setTimeout(90_000);
  const relay = await startDedicatedRelay('access', { auth: 'required' });
  try {
    const alice = await peer('Alice', { baseURL: relay.url });
    await alice.page.goto('/');
    await alice.page.getByRole('button', { name: 'New document' }).click();
    await expect(editorContent(alice.page)).toBeVisible();
    const editLink = await sharedLink(alice, 'edit');
    const viewLink = await sharedLink(alice, 'view');
    // The owner's tokens are kept by the browser, not left in the address bar.
    expect(alice.page.url()).not.toMatch(/owner=|edit=|view=/);
    await typeAtEnd(alice, 'Shared text.');

    // Bob has the view link: he sees live text, cannot change it, and others see him as a viewer.
    const bob = await peer('Bob', { baseURL: relay.url });
    await bob.page.goto(viewLink);
    await expect.poll(() => editorText(bob.page)).toBe('Shared text.');
    expect(bob.page.url()).not.toContain('view=');
    await expect(bob.page.getByRole('status').filter({ hasText: 'View only' })).toBeVisible();
    await editorContent(bob.page).click();
    await bob.page.keyboard.type('vandalism');
    await typeAtEnd(alice, ' Live.');
    await expect.poll(() => editorText(bob.page)).toBe('Shared text. Live.');
    await expect.poll(() => editorText(alice.page)).toBe('Shared text. Live.');
    await expect(alice.page.locator('mp-presence-list li', { hasText: 'Bob' })).toContainText('viewer');

    // Carol has the edit link: she edits, peer-to-peer with the owner.
    const carol = await peer('Carol', { baseURL: relay.url, relayStops: true });
    await carol.page.goto(editLink);
    await expect.poll(() => editorText(carol.page)).toBe('Shared text. Live.');
    await expect(peopleByRoute(alice.page, 'direct')).toContainText('Carol', { timeout: 15_000 });
    await typeAtEnd(carol, ' Carol writes.');
    await expect.poll(() => editorText(alice.page)).toBe('Shared text. Live. Carol writes.');
    await expect.poll(() => editorText(bob.page)).toBe('Shared text. Live. Carol writes.');
    expect((await dataChannelStats(carol.page)).openChannels).toBeGreaterThanOrEqual(1);

    // Alice revokes the edit link: Carol is told, her channel to Alice closes, her later edits stay with her.
    await alice.page.getByRole('button', { name: 'Share' }).click();
    alice.page.once('dialog', (dialog) => dialog.accept());
    await alice.page.getByRole('button', { name: 'Revoke and replace the edit link' }).click();
    await expect(alice.page.locator('section[data-scope=edit] input')).not.toHaveValue(editLink);
    await alice.page.keyboard.press('Escape');
    await expect(carol.page.getByRole('alert')).toContainText('revoked', { timeout: 5_000 });
    await expect.poll(async () => (await dataChannelStats(carol.page)).openChannels, { timeout: 10_000 }).toBe(0);
    await typeAtEnd(carol, ' Unsent.');
    await expect.poll(() => editorText(carol.page)).toBe('Shared text. Live. Carol writes. Unsent.');
    await typeAtEnd(alice, ' Alice goes on.');
    await expect.poll(() => editorText(bob.page)).toBe('Shared text. Live. Carol writes. Alice goes on.');
    expect(await editorText(alice.page)).toBe('Shared text. Live. Carol writes. Alice goes on.');

    // Alice replaces her own owner link too: this browser keeps the new one and stays connected with it.
    await alice.page.getByRole('button', { name: 'Share' }).click();
    await alice.page.getByText('Owner link (keep private)').click();
    const ownerInput = alice.page.locator('details input');
    const oldOwner = await ownerInput.inputValue();
    alice.page.once('dialog', (dialog) => dialog.accept());
    await alice.page.getByRole('button', { name: 'Revoke and replace the owner link' }).click();
    await expect(ownerInput).not.toHaveValue(oldOwner);
    await alice.page.keyboard.press('Escape');
    await expect(connectionState(alice.page)).toHaveAttribute('data-connection', 'connected');
    await typeAtEnd(alice, '!');
    await expect.poll(() => editorText(bob.page)).toBe('Shared text. Live. Carol writes. Alice goes on.!');
    // Closed before their relay stops, which their pages would otherwise report.
    for (const person of [alice, bob, carol]) await person.context.close();
  } finally {
    await relay.dispose();
  }
});

test('a workspace view link opens the workspace and its documents read-only', async ({ peer }) => {
  test.setTimeout(60_000);
  const relay = await startDedicatedRelay('access-workspace', { auth: 'required' });
  try {
    const alice = await peer('Alice', { baseURL: relay.url });
    await alice.page.goto('/');
    await alice.page.getByRole('button', { name: 'New workspace' }).click();
    await expect(alice.page).toHaveURL(/\/w\/[\w-]{22}$/);
    await expect(alice.page.locator('mp-connection-status [data-connection]')).toHaveAttribute(
      'data-connection',
      'connected',
    );
    await alice.page.getByLabel('New document').fill('Minutes');
    await alice.page.getByLabel('New document').press('Enter');
    await expect(alice.page).toHaveURL(/\/w\/[\w-]{22}\/d\/[\w-]{22}$/);
    await expect(editorContent(alice.page)).toBeVisible();
    await typeAtEnd(alice, ' Decided: ship it.');
    const docPath = new URL(alice.page.url()).pathname;
    await alice.page.goBack();
    const viewLink = await sharedLink(alice, 'view');
    expect(viewLink).toMatch(/\/w\/[\w-]{22}#view=/);

    const bob = await peer('Bob', { baseURL: relay.url });
    await bob.page.goto(viewLink);
    await expect(bob.page.getByRole('link', { name: 'Minutes', exact: true })).toBeVisible();
    await bob.page.getByRole('link', { name: 'Minutes', exact: true }).click();
    await expect(bob.page).toHaveURL(new RegExp(`${docPath}$`));
    await expect.poll(() => editorText(bob.page)).toContain('Decided: ship it.');
    await expect(bob.page.getByRole('status').filter({ hasText: 'View only' })).toBeVisible();
    const before = await editorText(bob.page);
    await editorContent(bob.page).click();
    await bob.page.keyboard.type('vandalism');
    expect(await editorText(bob.page)).toBe(before);
    // Nothing of it reached the relay: a fresh reader gets the text as Alice left it.
    await alice.page.goto(docPath);
    await expect.poll(() => editorText(alice.page)).toBe(before);
    for (const person of [alice, bob]) await person.context.close();
  } finally {
    await relay.dispose();
  }
});
