import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloseCode, closeCodeName } from './close-codes.js';

describe('close codes', () => {
  it('are unique and each is documented in ERRORS.md', () => {
    const rows = readFileSync(new URL('../ERRORS.md', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const documented = new Map(rows.map((cells) => [cells[2], cells]));
    const numbers = new Set<number>();
    for (const [name, { code, reason }] of Object.entries(CloseCode)) {
      expect(numbers.has(code), `${name} reuses ${code}`).toBe(false);
      numbers.add(code);
      const row = documented.get(`\`${name}\``);
      expect(row, `${name} (${code}) missing from ERRORS.md`).toBeDefined();
      expect(row?.slice(1, 4)).toEqual([String(code), `\`${name}\``, reason]);
      expect(row?.[4]?.length, `${name} needs an explanation`).toBeGreaterThan(20);
      expect(closeCodeName(code)).toBe(name);
      // A close frame's reason may hold at most 123 bytes.
      expect(new TextEncoder().encode(reason).length).toBeLessThanOrEqual(123);
    }
  });
});
