import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import { editorContent, editorText, expect, newDocPath, openDoc, type Person, test } from '../support/fixtures.js';
import { connectStockClient, type StockClient } from '../support/stock-client.js';

// A hostile peer is a stock y-websocket client in this process: it announces whatever awareness state it likes and
// puts whatever Yjs allows into the document's text. The editor (y-codemirror.next, patched in patches/) must draw
// only safe values and never throw on it.

const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** The longest name a cursor label shows, in code points, as the presence list (MAX_DISPLAY_NAME_LENGTH). */
const MAX_LABEL_LENGTH = 40;
const PLACEHOLDER = '\ufffc';

/** Sets `client`'s awareness state: `user`, and a cursor selecting `from`-`to` of the text. */
const announce = (client: StockClient, user: unknown, from: number, to: number): void => {
  client.provider.awareness.setLocalState({
    user,
    cursor: {
      anchor: Y.createRelativePositionFromTypeIndex(client.text, from),
      head: Y.createRelativePositionFromTypeIndex(client.text, to),
    },
  });
};

/** What CSS gave `selector`'s first element in `person`'s page. */
const computedStyle = (person: Person, selector: string) =>
  person.page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const style = getComputedStyle(element);
      return {
        position: style.position,
        backgroundImage: style.backgroundImage,
        backgroundColor: style.backgroundColor,
      };
    });

test('a peer’s colour and name cannot restyle the page, load anything or reorder the label', async ({ person }) => {
  const requests: string[] = [];
  const attacker = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.end();
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const attackerOrigin = `127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  const colour = `red;position:fixed;inset:0;background:url(//${attackerOrigin}/x)`;

  const alice = await person('Alice');
  const path = newDocPath();
  await openDoc(alice.page, path);
  alice.page.on('request', (request) => {
    if (request.url().includes(attackerOrigin)) requests.push(request.url());
  });
  const mallory = await connectStockClient(path);
  try {
    mallory.text.insert(0, 'Hello world, and hello everyone else.');
    announce(mallory, { name: `\u202e${'Mallory '.repeat(400)}`, color: colour, colorLight: colour }, 0, 11);

    const label = alice.page.locator('.cm-ySelectionInfo');
    await expect(label).toHaveCount(1);
    const name = (await label.textContent()) ?? '';
    expect(name).toBe('Mallory Mallory Mallory Mallory Mallory…');
    expect(Array.from(name).length).toBeLessThanOrEqual(MAX_LABEL_LENGTH);
    expect(name).not.toMatch(BIDI_CONTROLS);
    expect((await label.boundingBox())?.width).toBeLessThan(400);

    // The colour was refused whole: the caret and the selection have the binding's default colour and nothing else.
    expect(await computedStyle(alice, '.cm-ySelectionCaret')).toEqual({
      position: 'relative',
      backgroundImage: 'none',
      backgroundColor: 'rgb(48, 188, 237)',
    });
    await expect(alice.page.locator('.cm-ySelection')).toHaveText('Hello world');
    expect(await computedStyle(alice, '.cm-ySelection')).toEqual({
      position: 'static',
      backgroundImage: 'none',
      backgroundColor: 'rgba(48, 188, 237, 0.2)',
    });

    // An honest colour is drawn as announced.
    announce(mallory, { name: 'Mallory', color: '#c216c2', colorLight: '#c216c233' }, 0, 5);
    await expect(label).toHaveText('Mallory');
    await expect
      .poll(() => computedStyle(alice, '.cm-ySelectionCaret'))
      .toMatchObject({
        backgroundColor: 'rgb(194, 22, 194)',
      });
    expect(requests).toEqual([]);
  } finally {
    mallory.close();
    attacker.close();
  }
});

test('a malformed remote cursor is ignored, and everyone else’s cursors still show', async ({ person }) => {
  const alice = await person('Alice');
  const path = newDocPath();
  await openDoc(alice.page, path);
  const mallory = await connectStockClient(path);
  const carol = await connectStockClient(path);
  try {
    mallory.text.insert(0, 'Some text to point into.');
    // An item id that names no client, and a root type that does not exist (Yjs would create it).
    mallory.provider.awareness.setLocalState({
      user: { name: 'Mallory' },
      cursor: { anchor: { item: { client: 'x', clock: 'y' } }, head: { tname: 'not-the-text' } },
    });
    await expect.poll(() => carol.text.toString()).toBe('Some text to point into.');
    announce(carol, { name: 'Carol', color: '#0e8047' }, 5, 9);
    await expect(alice.page.locator('.cm-ySelectionInfo')).toHaveText('Carol');
    await expect(alice.page.locator('.cm-ySelection')).toHaveText('text');
  } finally {
    mallory.close();
    carol.close();
  }
});

/**
 * Appends `values` to the text the way a Y.Array holds them: content no Y.Text method makes, which only a hand-made
 * update puts in a text. Yjs counts it in the text's indices but its own Y.Text.delete steps over it.
 */
const appendArrayContent = (client: StockClient, values: number[]): void => {
  const crafted = new Y.Doc();
  Y.applyUpdate(crafted, Y.encodeStateAsUpdate(client.doc));
  crafted.getArray('content').push(values);
  Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(crafted, Y.encodeStateVector(client.doc)));
};

/** `text` with `insert` at `index`. */
const splice = (text: string, index: number, remove: number, insert = ''): string =>
  text.slice(0, index) + insert + text.slice(index + remove);

test('embeds, formats and nested types in the text show as placeholders, and edits land where they are made', async ({
  person,
}) => {
  // Many steps, each waiting for the relay and the other side: more than the default 30 s on a loaded machine.
  test.setTimeout(90_000);
  const alice = await person('Alice');
  const path = newDocPath();
  const mallory = await connectStockClient(path);
  try {
    // Before Alice opens the document: the editor's initial text.
    const { text } = mallory;
    text.insert(0, 'alpha beta gamma');
    text.insertEmbed(6, { image: 'https://example.invalid/cat.png' });
    text.format(0, 5, { bold: true });
    text.insert(12, 'BOLD', { bold: true });
    let expected = `alpha ${PLACEHOLDER}beta BOLDgamma`;
    expect(text.length).toBe(expected.length);
    await openDoc(alice.page, path);
    await expect.poll(() => editorText(alice.page)).toBe(expected);

    // While it is open: remote changes.
    text.insertEmbed(text.length, new Y.Text('nested, never shown'));
    text.insert(text.length, ' omega\r\nline2');
    appendArrayContent(mallory, [1, 2]);
    text.insert(text.length, '!end');
    text.insert(0, '> ', { header: 1 });
    text.format(2, 12, { italic: true });
    expected = `> alpha ${PLACEHOLDER}beta BOLDgamma${PLACEHOLDER} omega${PLACEHOLDER}\nline2${PLACEHOLDER.repeat(2)}!end`;
    expect(text.length).toBe(expected.length);
    await expect.poll(() => editorText(alice.page)).toBe(expected);

    // Alice types just after the image: her text follows the embed in the Y.Text too.
    const editor = alice.page;
    await editorContent(editor).click();
    await editor.keyboard.press('ControlOrMeta+Home');
    for (let i = 0; i < 9; i++) await editor.keyboard.press('ArrowRight');
    await editor.keyboard.type('X');
    expected = splice(expected, 9, 0, 'X');
    await expect.poll(() => text.toString()).toBe('> alpha Xbeta BOLDgamma omega\r\nline2!end');
    const delta = text.toDelta() as { insert: unknown }[];
    const image = delta.findIndex(({ insert }) => typeof insert === 'object' && insert !== null && 'image' in insert);
    expect(String(delta[image + 1]?.insert)).toMatch(/^Xbeta/);

    // At the end, past every placeholder.
    await editor.keyboard.press('ControlOrMeta+End');
    await editor.keyboard.type('?');
    expected += '?';
    await expect.poll(() => text.toString()).toMatch(/!end\?$/);

    // Deleting the X and the image it follows.
    await editor.keyboard.press('ControlOrMeta+Home');
    for (let i = 0; i < 10; i++) await editor.keyboard.press('ArrowRight');
    await editor.keyboard.press('Backspace');
    await editor.keyboard.press('Backspace');
    expected = splice(expected, 8, 2);
    await expect.poll(() => text.toString()).toBe('> alpha beta BOLDgamma omega\r\nline2!end?');
    expect(JSON.stringify(text.toDelta())).not.toContain('image');

    // Deleting a selection that holds the array content removes the text around it; the content Y.Text.delete
    // cannot remove stays, in both.
    const selected = `2${PLACEHOLDER.repeat(2)}!end?`;
    expect(expected.endsWith(selected)).toBe(true);
    await editor.keyboard.press('ControlOrMeta+End');
    for (let i = 0; i < selected.length; i++) await editor.keyboard.press('Shift+ArrowLeft');
    await editor.keyboard.press('Backspace');
    expected = `${expected.slice(0, -selected.length)}${PLACEHOLDER.repeat(2)}`;
    await expect.poll(() => text.toString()).toBe('> alpha beta BOLDgamma omega\r\nline');
    await expect.poll(() => editorText(alice.page)).toBe(expected);
    expect(text.length).toBe(expected.length);

    // Remote edits after all that still land at their Y.Text index.
    const afterNested = expected.indexOf('gamma') + 'gamma'.length + 1;
    text.insert(afterNested, 'R');
    text.delete(0, 2);
    expected = splice(splice(expected, afterNested, 0, 'R'), 0, 2);
    await expect.poll(() => editorText(alice.page)).toBe(expected);
    expect(expected).toBe(`alpha beta BOLDgamma${PLACEHOLDER}R omega${PLACEHOLDER}\nline${PLACEHOLDER.repeat(2)}`);
    expect(text.length).toBe(expected.length);
  } finally {
    mallory.close();
  }
});
