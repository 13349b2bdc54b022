import { describe, expect, it } from 'vitest';
import { newRoomKey, parseRoomKey, withRoomKey } from './room-key.js';

const KEY = 'q2bH7dG0_xY-Lr5vPm3kTw';

describe('parseRoomKey', () => {
  it('reads the key parameter of the fragment', () => {
    expect(parseRoomKey(`#key=${KEY}`)).toBe(KEY);
    expect(parseRoomKey(`key=${KEY}`)).toBe(KEY);
    expect(parseRoomKey(`#other=1&key=${KEY}`)).toBe(KEY);
  });

  it.each([
    ['no fragment', ''],
    ['no key', '#other=1'],
    ['an empty key', '#key='],
    ['a short key', '#key=abc'],
    ['characters outside base64url', '#key=aaaaaaaaaaaaaaaa%3Cscript%3E'],
  ])('is undefined for %s', (_label, hash) => {
    expect(parseRoomKey(hash)).toBeUndefined();
  });
});

describe('withRoomKey', () => {
  it('sets, replaces and removes the key, keeping other parameters', () => {
    expect(withRoomKey('', KEY)).toBe(`#key=${KEY}`);
    expect(withRoomKey('#key=old&x=1', KEY)).toBe(`#key=${KEY}&x=1`);
    expect(withRoomKey(`#key=${KEY}&x=1`, undefined)).toBe('#x=1');
    expect(withRoomKey(`#key=${KEY}`, undefined)).toBe('');
  });
});

describe('newRoomKey', () => {
  it('is 128 bits as 22 base64url characters that parseRoomKey accepts', () => {
    const key = newRoomKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(parseRoomKey(withRoomKey('', key))).toBe(key);
  });

  it('uses every byte of the random source', () => {
    expect(newRoomKey((bytes) => bytes.fill(0xff))).toBe('_____________________w');
    expect(newRoomKey((bytes) => bytes.fill(0))).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('differs each time', () => {
    expect(newRoomKey()).not.toBe(newRoomKey());
  });
});
