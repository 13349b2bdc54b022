import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRelaySecrets } from './relay-secret.js';
import { TokenAuthority } from './token-authority.js';
import { runTokenCommand } from './token-command.js';

describe('runTokenCommand', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshpad-token-command-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(argv: string[], env: Record<string, string> = {}) {
    const lines: string[] = [];
    const code = await runTokenCommand(argv, env, (line) => lines.push(line));
    return { code, lines };
  }

  it('prints a token the relay verifies with the secret in its data dir, and a link', async () => {
    const { code, lines } = await run(['--room', 'team notes', '--scope', 'edit', '--data-dir', dir]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    const [token, link] = lines as [string, string];
    expect(link).toBe(`http://127.0.0.1:4321/d/team%20notes#edit=${token}`);

    // The relay, started later on the same data dir, loads the secret the command generated.
    const authority = await TokenAuthority.create(await loadRelaySecrets({ dataDir: dir }));
    expect(await authority.verify(token)).toEqual({
      ok: true,
      value: { room: 'team notes', scope: 'edit', gen: 0, expiresAt: undefined },
    });
  });

  it('takes the secret, the origin and the data dir from the environment, with gen and expiry', async () => {
    const secret = 'a secret given in the environment, 32+ bytes';
    const env = { MESHPAD_SECRET: secret, MESHPAD_PUBLIC_ORIGIN: 'https://pad.example.com/', MESHPAD_DATA_DIR: dir };
    const { code, lines } = await run(['--room', 'doc', '--scope', 'view', '--gen', '4', '--expires-in', '600'], env);
    expect(code).toBe(0);
    expect(lines[1]).toBe(`https://pad.example.com/d/doc#view=${lines[0]}`);
    const authority = await TokenAuthority.create({ current: new TextEncoder().encode(secret) });
    const result = await authority.verify(lines[0]!);
    expect(result).toMatchObject({ ok: true, value: { room: 'doc', scope: 'view', gen: 4 } });
    if (result.ok) expect(result.value.expiresAt).toBeGreaterThan(Date.now() + 590_000);
  });

  it.each([
    ['no --room', ['--scope', 'edit']],
    ['an unknown scope', ['--room', 'doc', '--scope', 'admin']],
    ['a negative gen', ['--room', 'doc', '--scope', 'edit', '--gen', '-1']],
    ['a zero lifetime', ['--room', 'doc', '--scope', 'edit', '--expires-in', '0']],
    ['a control character in the room', ['--room', 'a\nb', '--scope', 'edit']],
    ['an origin with a path', ['--room', 'doc', '--scope', 'edit', '--public-origin', 'https://x.example/app']],
    ['an unknown option', ['--room', 'doc', '--scope', 'edit', '--owner']],
  ])('exits with 2 and the usage on %s', async (_, argv) => {
    const { code, lines } = await run([...argv, '--data-dir', dir]);
    expect(code).toBe(2);
    expect(lines.at(-1)).toMatch(/^Usage: meshpad-relay token --room <id>/);
  });

  it('exits with 1 naming the problem when the secret is too short', async () => {
    const { code, lines } = await run(['--room', 'doc', '--scope', 'edit', '--data-dir', dir], {
      MESHPAD_SECRET: 'short',
    });
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/MESHPAD_SECRET has 5 bytes/)]);
  });
});
