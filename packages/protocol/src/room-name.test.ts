import { describe, expect, it } from 'vitest';
import { MAX_ROOM_NAME_LENGTH } from './limits.js';
import { parseRoomName } from './room-name.js';

describe('parseRoomName', () => {
  it('decodes percent-escapes and keeps slashes', () => {
    expect(parseRoomName('team%2Fnotes/2026')).toEqual({ ok: true, value: 'team/notes/2026' });
    expect(parseRoomName('caf%C3%A9')).toEqual({ ok: true, value: 'café' });
  });

  it('rejects empty, overlong, badly escaped and control-character names', () => {
    expect(parseRoomName('').ok).toBe(false);
    expect(parseRoomName('a'.repeat(MAX_ROOM_NAME_LENGTH + 1)).ok).toBe(false);
    expect(parseRoomName('a'.repeat(MAX_ROOM_NAME_LENGTH)).ok).toBe(true);
    expect(parseRoomName('%E0%A4%A').ok).toBe(false);
    expect(parseRoomName('a%0Ab').ok).toBe(false);
  });
});
