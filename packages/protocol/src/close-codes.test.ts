import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloseCode, closeCodeName } from './close-codes.js';

describe('close codes', () => {
  it('are unique and each is documented in ERRORS.md', () => {
    const errorsDoc = readFileSync(new URL('../ERRORS.md', import.meta.url), 'utf8');
    const numbers = new Set<number>();
    for (const [name, { code, reason }] of Object.entries(CloseCode)) {
      expect(numbers.has(code), `${name} reuses ${code}`).toBe(false);
      numbers.add(code);
      expect(errorsDoc, `${name} (${code}) missing from ERRORS.md`).toContain(`| ${code} | \`${name}\` | ${reason} |`);
      expect(closeCodeName(code)).toBe(name);
      // A close frame's reason may hold at most 123 bytes.
      expect(new TextEncoder().encode(reason).length).toBeLessThanOrEqual(123);
    }
  });
});
