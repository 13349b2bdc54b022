import { describe, expect, it } from 'vitest';
import { parseLinkFragment, updateLinkFragment } from './link-fragment.js';
import { newRoomKey } from './room-key.js';

describe('newRoomKey', () => {
  it('is 128 bits as 22 base64url characters that a link fragment accepts', () => {
    const key = newRoomKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(parseLinkFragment(updateLinkFragment('', { key })).key).toBe(key);
  });

  it('uses every byte of the random source', () => {
    expect(newRoomKey((bytes) => bytes.fill(0xff))).toBe('_____________________w');
    expect(newRoomKey((bytes) => bytes.fill(0))).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('differs each time', () => {
    expect(newRoomKey()).not.toBe(newRoomKey());
  });
});
