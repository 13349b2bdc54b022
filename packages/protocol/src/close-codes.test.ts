import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloseCode, closeCodeName, isPermanentClose } from './close-codes.js';

describe('close codes', () => {
  it('are unique and each is documented in ERRORS.md with its class', () => {
    const rows = readFileSync(new URL('../ERRORS.md', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const documented = new Map(rows.map((cells) => [cells[2], cells]));
    const numbers = new Set<number>();
    for (const [name, info] of Object.entries(CloseCode)) {
      const { code, reason } = info;
      expect(numbers.has(code), `${name} reuses ${code}`).toBe(false);
      numbers.add(code);
      const row = documented.get(`\`${name}\``);
      expect(row, `${name} (${code}) missing from ERRORS.md`).toBeDefined();
      expect(row?.slice(1, 5)).toEqual([String(code), `\`${name}\``, info.class, reason]);
      expect(row?.[5]?.length, `${name} needs an explanation`).toBeGreaterThan(20);
      expect(closeCodeName(code)).toBe(name);
      // A close frame's reason may hold at most 123 bytes.
      expect(new TextEncoder().encode(reason).length).toBeLessThanOrEqual(123);
    }
  });

  it('sit in the range whose meaning y-websocket clients act on', () => {
    for (const [name, info] of Object.entries(CloseCode)) {
      expect(isPermanentClose(info.code), `${name} (${info.code}) is ${info.class}`).toBe(info.class === 'permanent');
    }
    expect(CloseCode.Unauthorized.code).toBe(4401);
    expect(CloseCode.Forbidden.code).toBe(4403);
  });
});
