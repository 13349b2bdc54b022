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

/** Steps between two colours around the palette, which goes round the hue circle; 0 when either is not in it. */
const hueSteps = (a: string, b: string): number => {
  const i = USER_COLOURS.indexOf(a);
  const j = USER_COLOURS.indexOf(b);
  if (i < 0 || j < 0) return a === b ? 0 : USER_COLOURS.length;
  const steps = Math.abs(i - j);
  return Math.min(steps, USER_COLOURS.length - steps);
};

/** How far `colour` is from the nearest colour in `taken`, in palette steps. */
const distanceToTaken = (colour: string, taken: ReadonlySet<string>): number => {
  let nearest = USER_COLOURS.length;
  for (const other of taken) nearest = Math.min(nearest, hueSteps(colour, other));
  return nearest;
};

/**
 * The colour to show for someone who prefers `preferred` while others show the colours in `taken`: `preferred`
 * unless one of them has it or its neighbour in the palette (neighbours are hard to tell apart), else the palette
 * colour farthest from all of theirs, the one nearest `preferred` among equals. Deterministic, so that everyone
 * computing it for the same people agrees.
 */
export const distinctColour = (preferred: string, taken: ReadonlySet<string>): string => {
  const own = distanceToTaken(preferred, taken);
  if (own >= 2) return preferred;
  let best = preferred;
  let bestDistance = own;
  for (const colour of USER_COLOURS) {
    const distance = distanceToTaken(colour, taken);
    if (
      distance > bestDistance ||
      (distance === bestDistance && best !== preferred && hueSteps(colour, preferred) < hueSteps(best, preferred))
    ) {
      best = colour;
      bestDistance = distance;
    }
  }
  return best;
};

/** A translucent variant of `colour` (a `#rrggbb` value) for selection backgrounds. */
export const selectionColour = (colour: string): string => `${colour}33`;

/** Whether `value` is a `#rrggbb` colour, the only form accepted from remote peers. */
export const isHexColour = (value: unknown): value is string =>
  typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
