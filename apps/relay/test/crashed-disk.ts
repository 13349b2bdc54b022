import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { screenUpdates } from '@meshpad/protocol';
import { SqliteDocStore } from '@meshpad/storage-sqlite';
import { type Evidence, lostEvidence } from './crash-evidence.js';

/** The relay's database file in its data directory (main.ts). */
const DB_FILE = 'meshpad.sqlite';

/** Copies the database a killed relay left, its file and write-ahead log, as the next start finds them. */
export function copyCrashedDisk(dataDir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'meshpad-chaos-copy-'));
  for (const suffix of ['', '-wal']) {
    const file = join(dataDir, `${DB_FILE}${suffix}`);
    if (existsSync(file)) copyFileSync(file, join(copy, `${DB_FILE}${suffix}`));
  }
  return copy;
}

/**
 * Describes each row of the copied database that does not integrate, and what each of `rooms` lacks
 * of the evidence, given per kind (`confirmed`, `delivered`) and per room.
 */
export async function inspectCopy(
  copy: string,
  rooms: readonly string[],
  evidence: Readonly<Record<string, ReadonlyMap<string, Evidence>>>,
): Promise<string[]> {
  const store = await SqliteDocStore.open({ path: join(copy, DB_FILE) });
  try {
    const problems: string[] = [];
    for (const room of rooms) {
      const { updates } = await store.load(room);
      const screened = screenUpdates(updates);
      if (screened.quarantined.length > 0) problems.push(`${room}: ${screened.quarantined.length} rows quarantined`);
      for (const [kind, byRoom] of Object.entries(evidence)) {
        const roomEvidence = byRoom.get(room);
        if (roomEvidence === undefined) continue;
        problems.push(...lostEvidence(updates, roomEvidence).map((lost) => `${room}, ${kind}: ${lost}`));
      }
    }
    return problems;
  } finally {
    await store.close();
  }
}
