import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the system's temporary directory, and how to remove it. */
export async function makeTempDir(): Promise<{ readonly dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'meshpad-storage-sqlite-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
