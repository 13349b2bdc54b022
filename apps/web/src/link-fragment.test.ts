import { describe, expect, it } from 'vitest';
import {
  documentLink,
  formatLinkFragment,
  isAccessToken,
  parseLinkFragment,
  updateLinkFragment,
  withoutTokens,
} from './link-fragment.js';

const KEY = 'q2bH7dG0_xY-Lr5vPm3kTw';
const EDIT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwic2NvcGUiOiJlZGl0In0.c2lnbmF0dXJlLWVkaXQ';
const VIEW = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwic2NvcGUiOiJ2aWV3In0.c2lnbmF0dXJlLXZpZXc';
const OWNER = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwic2NvcGUiOiJvd25lciJ9.c2lnbmF0dXJlLW93bmVy';

describe('parseLinkFragment', () => {
  it('reads the room key and any subset of tokens, with or without the #', () => {
    expect(parseLinkFragment(`#key=${KEY}&edit=${EDIT}`)).toEqual({ key: KEY, edit: EDIT });
    expect(parseLinkFragment(`view=${VIEW}`)).toEqual({ view: VIEW });
    expect(parseLinkFragment(`#owner=${OWNER}&x=1&view=${VIEW}&key=${KEY}&edit=${EDIT}`)).toEqual({
      key: KEY,
      owner: OWNER,
      edit: EDIT,
      view: VIEW,
    });
    expect(parseLinkFragment('')).toEqual({});
  });

  it.each([
    ['an empty key', '#key='],
    ['a short key', '#key=abc'],
    ['a key outside base64url', '#key=aaaaaaaaaaaaaaaa%3Cscript%3E'],
    ['a token of two parts', '#edit=abc.def'],
    ['a token with padding', '#edit=abc.def.ghi%3D'],
    ['a token of four parts', '#view=a.b.c.d'],
    ['an empty token', '#owner='],
    ['a token past 4,096 characters', `#edit=${'a'.repeat(4094)}.b.c`],
  ])('leaves out %s', (_label, hash) => {
    expect(parseLinkFragment(hash)).toEqual({});
  });
});

describe('formatLinkFragment', () => {
  it('puts the key first and tokens strongest first, and is empty for nothing', () => {
    expect(formatLinkFragment({ view: VIEW, key: KEY, edit: EDIT })).toBe(`#key=${KEY}&edit=${EDIT}&view=${VIEW}`);
    expect(formatLinkFragment({ owner: OWNER })).toBe(`#owner=${OWNER}`);
    expect(formatLinkFragment({})).toBe('');
  });

  it('round-trips through parseLinkFragment', () => {
    const fragment = { key: KEY, owner: OWNER, edit: EDIT, view: VIEW };
    expect(parseLinkFragment(formatLinkFragment(fragment))).toEqual(fragment);
  });
});

describe('updateLinkFragment and withoutTokens', () => {
  it('sets, replaces and removes parameters, keeping the others', () => {
    expect(updateLinkFragment('', { key: KEY })).toBe(`#key=${KEY}`);
    expect(updateLinkFragment('#key=old&x=1', { key: KEY })).toBe(`#key=${KEY}&x=1`);
    expect(updateLinkFragment(`#key=${KEY}&x=1`, { key: undefined })).toBe('#x=1');
    expect(updateLinkFragment(`#key=${KEY}`, { key: undefined })).toBe('');
  });

  it('takes the tokens out of the address and keeps the room key', () => {
    expect(withoutTokens(`#key=${KEY}&edit=${EDIT}&view=${VIEW}`)).toBe(`#key=${KEY}`);
    expect(withoutTokens(`#owner=${OWNER}`)).toBe('');
    expect(withoutTokens(`#key=${KEY}`)).toBe(`#key=${KEY}`);
  });
});

describe('documentLink', () => {
  it('points a workspace room’s link to its page', () => {
    const token = 'aaa.bbb.ccc';
    expect(documentLink('https://pad.example', 'workspace/AAAAAAAAAAAAAAAAAAAAAQ', { scope: 'view', token })).toBe(
      'https://pad.example/w/AAAAAAAAAAAAAAAAAAAAAQ#view=aaa.bbb.ccc',
    );
  });

  it('carries the key only when the document has one', () => {
    expect(
      documentLink('https://pad.example', 'AAAAAAAAAAAAAAAAAAAAAQ', { key: KEY, scope: 'edit', token: EDIT }),
    ).toBe(`https://pad.example/d/AAAAAAAAAAAAAAAAAAAAAQ#key=${KEY}&edit=${EDIT}`);
    expect(documentLink('https://pad.example', 'doc', { key: undefined, scope: 'view', token: VIEW })).toBe(
      `https://pad.example/d/doc#view=${VIEW}`,
    );
  });

  it('makes links whose fragment parses back to the same token', () => {
    const link = new URL(documentLink('http://127.0.0.1:4321', 'doc', { scope: 'owner', token: OWNER }));
    expect(parseLinkFragment(link.hash)).toEqual({ owner: OWNER });
    expect(isAccessToken(OWNER)).toBe(true);
    expect(isAccessToken(42)).toBe(false);
  });
});
