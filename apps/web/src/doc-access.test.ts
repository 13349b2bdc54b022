import { createMemoryStorage } from '@meshpad/client';
import { describe, expect, it } from 'vitest';
import {
  adoptLinkTokens,
  DOC_ACCESS_KEY,
  readDocAccess,
  sessionToken,
  strongestScope,
  unregisteredDocs,
  updateDocAccess,
  withTokens,
} from './doc-access.js';
import { fakeToken } from './http-test-server.js';

const A = 'AAAAAAAAAAAAAAAAAAAAAQ';
const B = 'BBBBBBBBBBBBBBBBBBBBBQ';

describe('doc access store', () => {
  it('keeps tokens per document, a new token replacing the one of its scope', () => {
    const storage = createMemoryStorage();
    expect(readDocAccess(storage, A)).toEqual({});
    updateDocAccess(storage, A, withTokens({ edit: fakeToken(A, 'edit'), view: fakeToken(A, 'view') }));
    updateDocAccess(storage, B, withTokens({ view: fakeToken(B, 'view') }));
    updateDocAccess(storage, A, withTokens({ edit: fakeToken(A, 'edit2') }));
    expect(readDocAccess(storage, A)).toEqual({ edit: fakeToken(A, 'edit2'), view: fakeToken(A, 'view') });
    expect(readDocAccess(storage, B)).toEqual({ view: fakeToken(B, 'view') });
  });

  it('lists the documents still to register, and drops an entry left empty', () => {
    const storage = createMemoryStorage();
    updateDocAccess(storage, A, () => ({ unregistered: true }));
    updateDocAccess(storage, B, withTokens({ owner: fakeToken(B, 'owner') }));
    expect(unregisteredDocs(storage)).toEqual([A]);
    updateDocAccess(storage, A, () => ({}));
    expect(unregisteredDocs(storage)).toEqual([]);
    expect(JSON.parse(storage.getItem(DOC_ACCESS_KEY) ?? '')).toEqual({ [B]: { owner: fakeToken(B, 'owner') } });
  });

  it('ignores whatever malformed the storage holds', () => {
    const storage = createMemoryStorage();
    for (const raw of ['not json', '[]', 'null', '{"__proto__":{"edit":"a.b.c"}}']) {
      storage.setItem(DOC_ACCESS_KEY, raw);
      expect(readDocAccess(storage, A)).toEqual({});
      expect(unregisteredDocs(storage)).toEqual([]);
    }
    storage.setItem(DOC_ACCESS_KEY, JSON.stringify({ [A]: { edit: 'no token', view: 7, unregistered: 'yes' } }));
    expect(readDocAccess(storage, A)).toEqual({});
    expect(() => updateDocAccess(storage, '__proto__', () => ({}))).toThrow(RangeError);
  });
});

describe('adoptLinkTokens', () => {
  const KEY = 'q2bH7dG0_xY-Lr5vPm3kTw';

  it('keeps the tokens of the link beside those held, and answers the address without them', () => {
    const storage = createMemoryStorage();
    updateDocAccess(storage, A, withTokens({ owner: fakeToken(A, 'owner'), edit: fakeToken(A, 'old') }));
    const hash = `#key=${KEY}&edit=${fakeToken(A, 'edit')}&view=${fakeToken(A, 'view')}`;
    expect(adoptLinkTokens(storage, A, hash)).toBe(`#key=${KEY}`);
    expect(readDocAccess(storage, A)).toEqual({
      owner: fakeToken(A, 'owner'),
      edit: fakeToken(A, 'edit'),
      view: fakeToken(A, 'view'),
    });
  });

  it('leaves the address alone when the link carries no token', () => {
    const storage = createMemoryStorage();
    expect(adoptLinkTokens(storage, A, `#key=${KEY}`)).toBeUndefined();
    expect(adoptLinkTokens(storage, A, '#edit=not-a-token')).toBeUndefined();
    expect(readDocAccess(storage, A)).toEqual({});
  });
});

describe('strongestScope and sessionToken', () => {
  it('prefer the owner token, then edit, then view', () => {
    const owner = fakeToken(A, 'owner');
    const edit = fakeToken(A, 'edit');
    const view = fakeToken(A, 'view');
    expect(sessionToken({ owner, edit, view })).toBe(owner);
    expect(sessionToken({ edit, view })).toBe(edit);
    expect(strongestScope({ view })).toBe('view');
    expect(sessionToken({ unregistered: true })).toBeUndefined();
  });
});
