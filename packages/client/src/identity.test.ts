import { describe, expect, it } from 'vitest';
import {
  DISPLAY_NAME_KEY,
  defaultDisplayName,
  loadIdentity,
  MAX_DISPLAY_NAME_LENGTH,
  normaliseDisplayName,
  saveDisplayName,
  USER_ID_KEY,
} from './identity.js';
import { createMemoryStorage } from './key-value-storage.js';
import { colourForUser } from './user-colour.js';

describe('loadIdentity', () => {
  it('creates a random user id once and remembers it', () => {
    const storage = createMemoryStorage();
    const first = loadIdentity(storage);
    expect(first.userId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(storage.getItem(USER_ID_KEY)).toBe(first.userId);
    expect(loadIdentity(storage)).toEqual(first);
  });

  it('gives different browsers different ids', () => {
    expect(loadIdentity(createMemoryStorage()).userId).not.toBe(loadIdentity(createMemoryStorage()).userId);
  });

  it('derives the colour from the user id, so it is stable across sessions and renames', () => {
    const storage = createMemoryStorage();
    const before = loadIdentity(storage);
    const after = saveDisplayName(storage, 'Ada');
    expect(after.colour).toBe(before.colour);
    expect(after.colour).toBe(colourForUser(before.userId));
  });

  it('replaces a stored user id that is not well formed', () => {
    const storage = createMemoryStorage();
    storage.setItem(USER_ID_KEY, '<script>');
    const identity = loadIdentity(storage);
    expect(identity.userId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(storage.getItem(USER_ID_KEY)).toBe(identity.userId);
  });

  it('uses the default name until one is saved', () => {
    const storage = createMemoryStorage();
    const identity = loadIdentity(storage);
    expect(identity.name).toBe(defaultDisplayName(identity.userId));
    expect(identity.name).toMatch(/^Anonymous [A-Z][a-z]+ [A-Z][a-z]+$/);
  });

  it('gives different people different default names, almost always', () => {
    const names = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      names.add(defaultDisplayName(loadIdentity(createMemoryStorage()).userId));
    }
    // 512 names: 2,000 random users cover most of them, and no name takes a large share.
    expect(names.size).toBeGreaterThan(450);
  });

  it('lets storage errors propagate', () => {
    const broken = {
      getItem: () => null,
      setItem: () => {
        throw new Error('quota exceeded');
      },
    };
    expect(() => loadIdentity(broken)).toThrow('quota exceeded');
  });
});

describe('saveDisplayName', () => {
  it('remembers the name in storage', () => {
    const storage = createMemoryStorage();
    expect(saveDisplayName(storage, '  Ada   Lovelace ').name).toBe('Ada Lovelace');
    expect(storage.getItem(DISPLAY_NAME_KEY)).toBe('Ada Lovelace');
    expect(loadIdentity(storage).name).toBe('Ada Lovelace');
  });

  it('goes back to the default name when cleared', () => {
    const storage = createMemoryStorage();
    saveDisplayName(storage, 'Ada');
    const cleared = saveDisplayName(storage, '   ');
    expect(cleared.name).toBe(defaultDisplayName(cleared.userId));
  });
});

describe('normaliseDisplayName', () => {
  it('trims and collapses whitespace', () => {
    expect(normaliseDisplayName(' \t Grace \n Hopper ')).toBe('Grace Hopper');
  });

  it('removes control and format characters', () => {
    expect(normaliseDisplayName('Eve\u0000\u202e\u200blyn')).toBe('Eve lyn');
  });

  it('cuts long names by characters, never splitting a surrogate pair', () => {
    const long = '😀'.repeat(MAX_DISPLAY_NAME_LENGTH + 5);
    const cut = normaliseDisplayName(long);
    expect(Array.from(cut)).toHaveLength(MAX_DISPLAY_NAME_LENGTH);
    expect(cut).toBe('😀'.repeat(MAX_DISPLAY_NAME_LENGTH));
  });

  it('returns an empty string when nothing printable is left', () => {
    expect(normaliseDisplayName('\u0000 \u200b ')).toBe('');
  });
});
