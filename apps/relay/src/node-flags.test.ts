import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const flags = JSON.parse(read('../node-flags.json')) as string[];

describe('the V8 flags the relay ships with (node-flags.json)', () => {
  it('are the same in the executable, the Docker image and the README', () => {
    expect(flags.length).toBeGreaterThan(0);
    expect(read('./main.ts').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${flags.join(' ')}`);
    const cmd = read('../../../infra/Dockerfile')
      .split('\n')
      .find((line) => line.startsWith('CMD '));
    expect(cmd).toBe(`CMD ${JSON.stringify(['node', ...flags, 'apps/relay/dist/main.js']).replaceAll(',', ', ')}`);
    for (const flag of flags) expect(read('../../../README.md')).toContain(flag);
  });
});
