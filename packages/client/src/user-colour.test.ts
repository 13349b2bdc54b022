import { describe, expect, it } from 'vitest';
import { colourForUser, distinctColour, isHexColour, selectionColour, USER_COLOURS } from './user-colour.js';

const channel = (hex: string, offset: number): number => {
  const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const luminance = (hex: string): number =>
  0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

describe('USER_COLOURS', () => {
  it.each(USER_COLOURS)('%s is readable on light and dark pages and behind white text', (colour) => {
    expect(contrast(colour, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colour, '#16181d')).toBeGreaterThanOrEqual(3);
  });

  it('has no duplicates', () => {
    expect(new Set(USER_COLOURS).size).toBe(USER_COLOURS.length);
  });
});

describe('colourForUser', () => {
  it('is stable for one user id', () => {
    expect(colourForUser('user-a')).toBe(colourForUser('user-a'));
  });

  it('spreads user ids over the whole palette', () => {
    const used = new Set(Array.from({ length: 500 }, (_, i) => colourForUser(`user-${i}`)));
    expect(used.size).toBe(USER_COLOURS.length);
  });
});

describe('colour helpers', () => {
  it('makes a translucent selection colour', () => {
    expect(selectionColour('#1670c9')).toBe('#1670c933');
  });

  it('accepts only #rrggbb colours', () => {
    expect(isHexColour('#1670c9')).toBe(true);
    expect(isHexColour('#1670C9')).toBe(true);
    for (const bad of ['red', '#fff', '#1670c9ff', 'url(x)', '#1670c9;background:red', 3, null, undefined]) {
      expect(isHexColour(bad)).toBe(false);
    }
  });
});

describe('distinctColour', () => {
  const at = (i: number) => USER_COLOURS[(i + USER_COLOURS.length) % USER_COLOURS.length]!;
  const half = USER_COLOURS.length / 2;

  it('keeps the preferred colour when nobody has it or its neighbours', () => {
    expect(distinctColour(at(0), new Set())).toBe(at(0));
    expect(distinctColour(at(0), new Set([at(2), at(-2)]))).toBe(at(0));
  });

  it('moves to the far side of the palette from a person with the same or a neighbouring colour', () => {
    expect(distinctColour(at(0), new Set([at(0)]))).toBe(at(half));
    expect(distinctColour(at(0), new Set([at(1)]))).toBe(at(1 + half));
  });

  it('takes the colour farthest from everyone, the nearest to the preferred one among equals', () => {
    expect(distinctColour(at(0), new Set([at(0), at(half)]))).toBe(at(half / 2));
  });

  it('keeps the preferred colour when no colour would be farther from the others', () => {
    expect(distinctColour(at(1), new Set(USER_COLOURS))).toBe(at(1));
  });

  it('gives everyone the same answer for the same people', () => {
    for (const preferred of USER_COLOURS) {
      expect(distinctColour(preferred, new Set([at(3), at(4)]))).toBe(
        distinctColour(preferred, new Set([at(4), at(3)])),
      );
    }
  });
});
