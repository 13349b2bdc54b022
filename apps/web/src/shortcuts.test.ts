import { defaultKeymap } from '@codemirror/commands';
import { searchKeymap } from '@codemirror/search';
import { describe, expect, it } from 'vitest';
import { yUndoManagerKeymap } from 'y-codemirror.next';
import { isApplePlatform, keyNames, SHORTCUTS } from './shortcuts.js';

describe('keyNames', () => {
  it('names keys for other platforms', () => {
    expect(keyNames('Mod-Shift-z', false)).toEqual(['Ctrl', 'Shift', 'Z']);
    expect(keyNames('Escape', false)).toEqual(['Esc']);
    expect(keyNames('Shift-F3', false)).toEqual(['Shift', 'F3']);
  });

  it('names keys for Apple platforms', () => {
    expect(keyNames('Mod-Alt-g', true)).toEqual(['⌘', '⌥', 'G']);
  });

  it('keeps a trailing "-" or "[" key', () => {
    expect(keyNames('Mod-[', false)).toEqual(['Ctrl', '[']);
    expect(keyNames('Mod--', false)).toEqual(['Ctrl', '-']);
  });
});

/** A binding with its modifiers in a fixed order, so `Shift-Mod-g` and `Mod-Shift-g` compare equal. */
const canonical = (binding: string): string => {
  const parts = binding.split(/-(?!$)/);
  const key = parts.pop();
  return [...parts.sort(), key].join('-');
};

describe('SHORTCUTS', () => {
  it('lists only keys the editor binds', () => {
    const bound = new Set(
      [...yUndoManagerKeymap, ...searchKeymap, ...defaultKeymap].flatMap((binding) =>
        [binding.key, binding.shift === undefined ? undefined : `Shift-${binding.key}`]
          .filter((key): key is string => key !== undefined)
          .map(canonical),
      ),
    );
    for (const shortcut of SHORTCUTS) {
      for (const key of shortcut.keys) expect(bound, key).toContain(canonical(key));
    }
  });
});

describe('isApplePlatform', () => {
  it('recognises Apple platforms', () => {
    expect(isApplePlatform('MacIntel')).toBe(true);
    expect(isApplePlatform('iPhone')).toBe(true);
    expect(isApplePlatform('Win32')).toBe(false);
    expect(isApplePlatform('Linux x86_64')).toBe(false);
  });
});
