import { describe, expect, it } from 'vitest';
import { parseAccessToken, sessionAccess } from './access-token.js';

const base64Url = (text: string): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** A token with these claims; the signature is never read by the client. */
const jwt = (claims: unknown): string =>
  `${base64Url(JSON.stringify({ alg: 'HS256' }))}.${base64Url(JSON.stringify(claims))}.c2lnbmF0dXJl`;

describe('parseAccessToken', () => {
  it('reads the room, scope, generation and expiry', () => {
    expect(parseAccessToken(jwt({ sub: 'doc-é', scope: 'edit', gen: 2, exp: 1_900_000_000 }))).toEqual({
      room: 'doc-é',
      scope: 'edit',
      gen: 2,
      exp: 1_900_000_000,
    });
    expect(parseAccessToken(jwt({ sub: 'doc', scope: 'view' }))).toEqual({ room: 'doc', scope: 'view' });
  });

  it('refuses what is not a token with a room and a known scope', () => {
    for (const token of [
      '',
      'a.b',
      'not.a.token',
      jwt({ scope: 'edit' }),
      jwt({ sub: '', scope: 'edit' }),
      jwt({ sub: 'doc', scope: 'admin' }),
      jwt({ sub: 'doc', scope: 'edit', gen: -1 }),
      jwt({ sub: 'doc', scope: 'edit', gen: '1' }),
      jwt({ sub: 'doc', scope: 'edit', exp: 'soon' }),
      jwt(['doc']),
    ]) {
      expect(parseAccessToken(token)).toBeUndefined();
    }
  });

  it('gives a session without a usable token no access', () => {
    expect(sessionAccess(undefined)).toBe('none');
    expect(sessionAccess('garbage')).toBe('none');
    expect(sessionAccess(jwt({ sub: 'doc', scope: 'owner' }))).toBe('owner');
  });
});
