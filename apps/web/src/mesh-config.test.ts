import { describe, expect, it } from 'vitest';
import { parseIceServers } from './mesh-config.js';

describe('parseIceServers', () => {
  it('is empty when unset', () => {
    expect(parseIceServers(undefined)).toEqual([]);
    expect(parseIceServers('  ')).toEqual([]);
  });

  it('reads a list of servers', () => {
    const servers = [
      { urls: 'stun:stun.example.com:3478' },
      { urls: ['turn:turn.example.com:3478'], username: 'u', credential: 'c' },
    ];
    expect(parseIceServers(JSON.stringify(servers))).toEqual(servers);
  });

  it.each([['not json'], ['{"urls":"stun:x"}'], ['[{"url":"stun:x"}]'], ['[{"urls":[1]}]']])(
    'rejects %s, naming the variable',
    (json) => {
      expect(() => parseIceServers(json)).toThrow(/VITE_MESHPAD_ICE_SERVERS/);
    },
  );
});
