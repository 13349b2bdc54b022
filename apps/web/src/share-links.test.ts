import { describe, expect, it } from 'vitest';
import { fakeToken } from './http-test-server.js';
import { parseLinkFragment } from './link-fragment.js';
import { shareLinks } from './share-links.js';

const DOC = 'AAAAAAAAAAAAAAAAAAAAAQ';
const KEY = 'q2bH7dG0_xY-Lr5vPm3kTw';
const owner = fakeToken(DOC, 'owner');
const edit = fakeToken(DOC, 'edit');
const view = fakeToken(DOC, 'view');

describe('shareLinks', () => {
  it('makes one link per token held, each with the room key and only its own token', () => {
    const links = shareLinks('https://pad.example', DOC, KEY, { owner, edit, view, unregistered: true });
    expect(Object.keys(links)).toEqual(['owner', 'edit', 'view']);
    expect(links.edit).toBe(`https://pad.example/d/${DOC}#key=${KEY}&edit=${edit}`);
    expect(parseLinkFragment(new URL(links.view ?? '').hash)).toEqual({ key: KEY, view });
  });

  it('gives an editor its edit and view links, and nothing to a browser without tokens', () => {
    expect(shareLinks('https://pad.example', DOC, undefined, { edit, view })).toEqual({
      edit: `https://pad.example/d/${DOC}#edit=${edit}`,
      view: `https://pad.example/d/${DOC}#view=${view}`,
    });
    expect(shareLinks('https://pad.example', DOC, KEY, {})).toEqual({});
  });
});
