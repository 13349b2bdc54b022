import { randomBytes } from 'node:crypto';
import { type BrowserContext, test as base, expect, type Locator, type Page } from '@playwright/test';

/** One person in the test: their own browser context (own storage, own identity) and page. */
export interface Person {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors, page errors and Yjs's duplicate-import warning seen on the page. */
  readonly problems: string[];
}

export interface Fixtures {
  /** Opens a new browser context for a person called `name` (their remembered display name). */
  person: (name: string) => Promise<Person>;
}

/** A fresh document path, as the app makes them (128 random bits, base64url). */
export const newDocPath = (): string => `/d/${randomBytes(16).toString('base64url')}`;

/** Base URL of the relay started by global-setup.ts. */
export const relayUrl = (): string => {
  const url = process.env.MESHPAD_E2E_URL;
  if (url === undefined) throw new Error('MESHPAD_E2E_URL is not set: run the tests through playwright.config.ts');
  return url;
};

/**
 * Collects what goes wrong in `page`: console errors (except those `ignore` matches), uncaught errors, and a second
 * copy of Yjs. A test's fixture expects the list to be empty when the test ends.
 */
export const collectPageProblems = (page: Page, ignore?: RegExp): string[] => {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (ignore?.test(text)) return;
    if (message.type() === 'error' || text.includes('Yjs was already imported')) {
      problems.push(`console ${message.type()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
};

export const test = base.extend<Fixtures>({
  person: async ({ browser }, use) => {
    const people: Person[] = [];
    await use(async (name) => {
      const context = await browser.newContext({ baseURL: relayUrl() });
      await context.addInitScript((displayName) => {
        if (localStorage.getItem('meshpad.display-name') === null) {
          localStorage.setItem('meshpad.display-name', displayName);
        }
      }, name);
      const page = await context.newPage();
      const problems = collectPageProblems(page);
      const person = { name, context, page, problems };
      people.push(person);
      return person;
    });
    for (const { context } of people) await context.close();
    for (const { name, problems } of people) expect(problems, `problems in ${name}'s page`).toEqual([]);
  },
});

export { expect };

/** The editor's text area (CodeMirror's content element; locators pierce the shadow roots). */
export const editorContent = (page: Page): Locator => page.locator('.cm-content');

/** Opens `path` and waits until the document has loaded into the editor. */
export const openDoc = async (page: Page, path: string): Promise<void> => {
  await page.goto(path);
  await expect(editorContent(page)).toBeVisible();
};

/**
 * The editor's text, without the remote cursor widgets CodeMirror draws inside lines, and with each special character
 * CodeMirror draws as a placeholder (titled "Control character object replacement", or "… 0x7f") read back as it.
 */
export const editorText = (page: Page): Promise<string> =>
  editorContent(page).evaluate((content) =>
    Array.from(content.querySelectorAll(':scope > .cm-line'), (line) => {
      const copy = line.cloneNode(true) as HTMLElement;
      for (const widget of copy.querySelectorAll('.cm-ySelectionCaret, .cm-widgetBuffer, .cm-placeholder')) {
        widget.remove();
      }
      for (const special of copy.querySelectorAll('.cm-specialChar')) {
        const title = special.getAttribute('title') ?? '';
        const code = title.endsWith('object replacement') ? 'fffc' : /0x([0-9a-f]+)$/.exec(title)?.[1];
        if (code !== undefined) special.replaceWith(String.fromCodePoint(Number.parseInt(code, 16)));
      }
      return (copy.textContent ?? '').replaceAll('\u2060', '');
    }).join('\n'),
  );
