import { type ChildProcess, execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CloseCode, decodeSaved, encodeSaveRequest } from '@meshpad/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSocket, startRelayProcess, stockClient, synced, waitFor } from '../test/harness.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dockerfile = readFileSync(join(repoRoot, 'infra/Dockerfile'), 'utf8').split('\n');

/** The build stage's last step, which assembles the image's files under /out, as one shell command. */
function outputStep(): string {
  const start = dockerfile.findIndex((l) => l.startsWith('RUN ') && l.includes('scripts/pnpm.mjs deploy'));
  if (start < 0) throw new Error('infra/Dockerfile has no "node scripts/pnpm.mjs deploy" step');
  let end = start;
  while (dockerfile[end]!.trimEnd().endsWith('\\')) end++;
  return dockerfile
    .slice(start, end + 1)
    .join('\n')
    .slice('RUN '.length);
}

/**
 * The build stage's first layers: what the `COPY` lines before the `pnpm fetch` step copy (source
 * paths in the repository, destinations in the work directory), and that step's command.
 */
function fetchLayer(): { copies: Array<{ sources: string[]; destination: string }>; command: string[] } {
  const fetchAt = dockerfile.findIndex((l) => l.startsWith('RUN ') && l.includes('scripts/pnpm.mjs fetch'));
  if (fetchAt < 0) throw new Error('infra/Dockerfile has no "node scripts/pnpm.mjs fetch" step');
  const copies = dockerfile
    .slice(0, fetchAt)
    .filter((l) => l.startsWith('COPY ') && !l.includes('--from'))
    .map((l) => {
      const words = l.slice('COPY '.length).trim().split(/\s+/);
      return { sources: words.slice(0, -1), destination: words.at(-1)! };
    });
  return { copies, command: dockerfile[fetchAt]!.slice('RUN '.length).trim().split(/\s+/) };
}

/** The runtime stage's settings: the last ENV line and the CMD. */
function runtime(): { env: Record<string, string>; cmd: string[] } {
  const envLine = dockerfile.findLast((l) => l.startsWith('ENV ')) ?? '';
  const env = Object.fromEntries(
    envLine
      .slice('ENV '.length)
      .split(/\s+/)
      .map((assignment) => assignment.split('=') as [string, string]),
  );
  const cmd = JSON.parse(dockerfile.find((l) => l.startsWith('CMD '))?.slice('CMD '.length) ?? '[]') as string[];
  return { env, cmd };
}

// Docker itself cannot run here (no engine), so this builds what the image's build stage copies
// out, with the same command, and runs it the way the image does.
describe('the relay as the Docker image installs and starts it', () => {
  let out: string;
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'meshpad-image-'));
    dataDir = mkdtempSync(join(tmpdir(), 'meshpad-image-data-'));
    const step = outputStep().replaceAll(/(?<=^|\s)\/out(?=\/|\s|$)/g, out);
    expect(step).not.toMatch(/(^|\s)\/out\b/);
    await promisify(execFile)('sh', ['-c', step], { cwd: repoRoot, env: { ...process.env, CI: '1' } });
  }, 180_000);

  afterAll(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(out, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fetches every dependency from the files copied before the fetch step, lockfile and patches included', async () => {
    const work = mkdtempSync(join(tmpdir(), 'meshpad-image-fetch-'));
    try {
      const { copies, command } = fetchLayer();
      for (const { sources, destination } of copies) {
        for (const source of sources) {
          const from = join(repoRoot, source);
          // Docker copies a directory's contents, and a file into a destination ending in "/".
          const to = statSync(from).isDirectory()
            ? join(work, destination)
            : join(work, destination.endsWith('/') ? join(destination, basename(source)) : destination);
          cpSync(from, to, { recursive: true });
        }
      }
      const [node, ...args] = command;
      expect(node).toBe('node');
      await promisify(execFile)(process.execPath, args, { cwd: work, env: { ...process.env, CI: '1' } });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);

  it('holds the relay, its production dependencies and the web app, and no test or build tooling', () => {
    const installed = readdirSync(join(out, 'apps/relay/node_modules/.pnpm'));
    const tooling = installed.filter((name) => /^(vitest|vite|@vitest\+|typescript|@biomejs\+|turbo)[@+]/.test(name));
    expect(tooling).toEqual([]);
    expect(existsSync(join(out, 'apps/relay/dist/main.js'))).toBe(true);
    expect(existsSync(join(out, 'apps/web/dist/index.html'))).toBe(true);
    const addons = installed.filter((name) => name.startsWith('better-sqlite3@'));
    expect(addons).toHaveLength(1);
    const build = join(out, 'apps/relay/node_modules/.pnpm', addons[0]!, 'node_modules/better-sqlite3/build');
    expect(readdirSync(build)).toEqual(['Release']);
    expect(readdirSync(join(build, 'Release'))).toEqual(['better_sqlite3.node']);
  });

  it('serves, stores durably (its checkpoint thread is there) and stops cleanly', async () => {
    const { env, cmd } = runtime();
    expect(cmd[0]).toBe('node');
    expect(env.MESHPAD_DATA_DIR).toBeDefined();
    const relay = startRelayProcess(
      {
        args: cmd.slice(1),
        cwd: out,
        // As the image runs: MESHPAD_AUTH is not set, so tokens are required.
        env: { ...env, HOST: '127.0.0.1', PORT: '0', MESHPAD_DATA_DIR: dataDir, MESHPAD_AUTH: '' },
      },
      children,
    );
    const port = await relay.listening;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<mp-app');

    // The image requires tokens: a stock client without one is refused.
    const stranger = await rawSocket(`ws://127.0.0.1:${port}/yjs/image`);
    expect((await stranger.closed).code).toBe(CloseCode.Unauthorized.code);
    expect(relay.output()).toContain('every connection needs a token');
    // The operator mints a link with the image's own command, over the secret the relay generated.
    const minted = await promisify(execFile)(
      process.execPath,
      [...cmd.slice(1), 'token', '--room', 'image', '--scope', 'edit'],
      {
        cwd: out,
        env: { ...process.env, ...env, MESHPAD_DATA_DIR: dataDir },
      },
    );
    const token = minted.stdout.split('\n')[0]!;
    expect(statSync(join(dataDir, 'secret')).mode & 0o777).toBe(0o600);

    const writer = stockClient(`ws://127.0.0.1:${port}/yjs`, 'image', undefined, { params: { token } });
    await synced(writer);
    writer.text.insert(0, 'kept by the image');
    // A save is confirmed only after a checkpoint on the storage worker thread synced it to disk.
    const { socket, frames } = await rawSocket(`ws://127.0.0.1:${port}/yjs/image?token=${token}`);
    socket.send(encodeSaveRequest(1));
    await waitFor(() => frames.some((frame) => decodeSaved(frame) === 1), 'save confirmed', 10_000);
    socket.close();
    writer.provider.shouldConnect = false;
    writer.destroy();

    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    expect(relay.output()).not.toMatch(/"level":(50|60)/);
    expect(existsSync(join(dataDir, 'meshpad.sqlite'))).toBe(true);
  });
});
