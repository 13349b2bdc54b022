import { describe, expect, it } from 'vitest';
import { isDocId, newDocId, toBase64Url } from './doc-id.js';

describe('toBase64Url', () => {
  it('matches the platform base64url encoding without padding', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('encodes the RFC 4648 test vectors', () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    expect(toBase64Url(ascii('f'))).toBe('Zg');
    expect(toBase64Url(ascii('fo'))).toBe('Zm8');
    expect(toBase64Url(ascii('foo'))).toBe('Zm9v');
    expect(toBase64Url(ascii('foobar'))).toBe('Zm9vYmFy');
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
});

describe('newDocId', () => {
  it('makes 22-character base64url ids carrying 128 bits', () => {
    const id = newDocId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });

  it('does not repeat itself', () => {
    const ids = new Set(Array.from({ length: 10_000 }, newDocId));
    expect(ids.size).toBe(10_000);
  });

  it('uses every alphabet character over many ids (the bytes are random, not patterned)', () => {
    const seen = new Set(Array.from({ length: 2_000 }, newDocId).join(''));
    expect(seen.size).toBe(64);
  });
});

describe('isDocId', () => {
  it('accepts what newDocId makes', () => {
    for (let i = 0; i < 100; i++) expect(isDocId(newDocId())).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['too short', 'abc'],
    ['one short', 'A'.repeat(21)],
    ['one long', 'A'.repeat(23)],
    ['standard base64 characters', `${'A'.repeat(20)}+/`],
    ['padding', `${'A'.repeat(21)}=`],
    ['a path', '../../etc/passwd/aaaaaa'],
    ['whitespace', ` ${'A'.repeat(21)}`],
  ])('rejects %s', (_name, value) => {
    expect(isDocId(value)).toBe(false);
  });
});
