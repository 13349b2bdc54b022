import { describe, expect, it } from 'vitest';
import { MESH_ROOM_PREFIX, meshRoomName } from './mesh-room.js';

const DOC = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('meshRoomName', () => {
  it('is the prefixed document id without a password', () => {
    expect(meshRoomName(DOC)).toBe(`${MESH_ROOM_PREFIX}${DOC}`);
    expect(meshRoomName(DOC, '')).toBe(`${MESH_ROOM_PREFIX}${DOC}`);
  });

  it('adds a 64-bit fingerprint of the password, the same for everyone with that password', () => {
    const name = meshRoomName(DOC, 'k1');
    expect(name).toMatch(new RegExp(`^${MESH_ROOM_PREFIX}${DOC}:[0-9a-f]{16}$`));
    expect(meshRoomName(DOC, 'k1')).toBe(name);
  });

  it('keeps different passwords and different documents apart', () => {
    expect(meshRoomName(DOC, 'k1')).not.toBe(meshRoomName(DOC, 'k2'));
    expect(meshRoomName(DOC, 'k1')).not.toBe(meshRoomName('BBBBBBBBBBBBBBBBBBBBBB', 'k1'));
  });

  it('never contains the password', () => {
    expect(meshRoomName(DOC, 'secret-room-key')).not.toContain('secret');
  });

  it('ends with the edit generation once the edit capability was rotated', () => {
    expect(meshRoomName(DOC, undefined, 0)).toBe(meshRoomName(DOC));
    expect(meshRoomName(DOC, 'k1', 0)).toBe(meshRoomName(DOC, 'k1'));
    expect(meshRoomName(DOC, undefined, 3)).toBe(`${MESH_ROOM_PREFIX}${DOC}:g3`);
    expect(meshRoomName(DOC, 'k1', 1)).toBe(`${meshRoomName(DOC, 'k1')}-g1`);
    // The relay accepts `meshpad:<room>:<one segment without ':'>`.
    expect(meshRoomName(DOC, 'k1', 12).split(':')).toHaveLength(3);
  });

  it('refuses a generation that is not a count', () => {
    expect(() => meshRoomName(DOC, undefined, -1)).toThrow(RangeError);
    expect(() => meshRoomName(DOC, undefined, 1.5)).toThrow(/edit generation 1.5/);
  });
});
