import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const launch = JSON.parse(read('../launch.json')) as { nodeFlags: string[]; env: Record<string, string> };

describe('the Node flags and environment the relay ships with (launch.json)', () => {
  it('are the same in the executable, the Docker image and the README', () => {
    const assignments = Object.entries(launch.env).map(([name, value]) => `${name}=${value}`);
    expect(read('./main.ts').split('\n')[0]).toBe(
      `#!/usr/bin/env -S ${[...assignments, 'node', ...launch.nodeFlags].join(' ')}`,
    );
    const dockerfile = read('../../../infra/Dockerfile').split('\n');
    expect(dockerfile.find((line) => line.startsWith('CMD '))).toBe(
      `CMD ${JSON.stringify(['node', ...launch.nodeFlags, 'apps/relay/dist/main.js']).replaceAll(',', ', ')}`,
    );
    // The runtime stage's ENV line is the last one.
    const envLine = dockerfile.findLast((line) => line.startsWith('ENV ')) ?? '';
    for (const assignment of assignments) expect(envLine.split(' ')).toContain(assignment);
    for (const setting of [...launch.nodeFlags, ...assignments]) expect(read('../../../README.md')).toContain(setting);
  });
});
