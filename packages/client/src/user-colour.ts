/**
 * Colours a person can be given. Each has a relative luminance near 0.16, so it keeps a contrast of at least 3:1
 * against both a white and a near-black page and at least 4.5:1 behind white label text.
 */
export const USER_COLOURS: readonly string[] = [
  '#dc1818',
  '#c64216',
  '#936710',
  '#457d0e',
  '#0e8047',
  '#0e7c7c',
  '#11789b',
  '#1670c9',
  '#5b5bed',
  '#9540ea',
  '#c216c2',
  '#d41876',
];

/** FNV-1a over UTF-16 code units: a stable, well-spread hash for short ids. */
const hashString = (value: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** The colour of the person with this persistent user id: the same id always gets the same colour. */
export const colourForUser = (userId: string): string => USER_COLOURS[hashString(userId) % USER_COLOURS.length]!;

/**
 * `preferred` unless someone in `taken` already has it; then the next colour of the palette that nobody in `taken`
 * has, so that two people present at once do not share a colour. With every colour taken, `preferred`.
 */
export const distinctColour = (preferred: string, taken: ReadonlySet<string>): string => {
  if (!taken.has(preferred)) return preferred;
  const start = Math.max(0, USER_COLOURS.indexOf(preferred));
  for (let step = 1; step < USER_COLOURS.length; step++) {
    const colour = USER_COLOURS[(start + step) % USER_COLOURS.length]!;
    if (!taken.has(colour)) return colour;
  }
  return preferred;
};

/** A translucent variant of `colour` (a `#rrggbb` value) for selection backgrounds. */
export const selectionColour = (colour: string): string => `${colour}33`;

/** Whether `value` is a `#rrggbb` colour, the only form accepted from remote peers. */
export const isHexColour = (value: unknown): value is string =>
  typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
