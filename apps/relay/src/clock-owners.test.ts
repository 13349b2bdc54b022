import { describe, expect, it } from 'vitest';
import { ClockOwners } from './clock-owners.js';

describe('ClockOwners', () => {
  let time = 0;
  const owners = () => new ClockOwners<string>({ timeoutMs: 100, clientsPerConnection: 2 }, () => time);

  it('gives an id to the first writer, keeps it while renewed, and frees it after the timeout', () => {
    time = 0;
    const table = owners();
    expect(table.introduce('a', 1)).toBe(true);
    expect(table.introduce('b', 1)).toBe(false);
    time = 90;
    table.renew('a', [1]);
    time = 180;
    expect(table.ownerOf(1)).toBe('a');
    time = 190;
    expect(table.ownerOf(1)).toBeUndefined();
    expect(table.introduce('b', 1)).toBe(true);
  });

  it('frees every id of an owner that closes', () => {
    time = 0;
    const table = owners();
    table.introduce('a', 1);
    table.introduce('a', 2);
    expect(table.removeOwner('a')).toBe(true);
    expect(table.removeOwner('a')).toBe(false);
    expect([table.ownerOf(1), table.ownerOf(2)]).toEqual([undefined, undefined]);
  });

  it('takes no id past the limit unless one of the owner’s ids has lapsed', () => {
    time = 0;
    const table = owners();
    table.introduce('a', 1);
    time = 50;
    table.introduce('a', 2);
    expect(table.introduce('a', 3)).toBe(false);
    time = 120;
    expect(table.introduce('a', 3)).toBe(true);
    expect([table.ownerOf(1), table.ownerOf(2), table.ownerOf(3)]).toEqual([undefined, 'a', 'a']);
  });
});
