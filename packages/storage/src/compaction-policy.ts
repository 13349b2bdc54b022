import type { LogStats } from './doc-store.js';

/** Log sizes at which a document is worth compacting; reaching either one is enough. */
export interface CompactionThresholds {
  readonly entries: number;
  readonly bytes: number;
}

/** Compact after 500 logged updates (a few minutes of typing) or 1 MiB of them. */
export const DEFAULT_COMPACTION_THRESHOLDS: CompactionThresholds = { entries: 500, bytes: 1024 * 1024 };

/** Whether a document's log has grown enough since its last compaction to compact it again. */
export function shouldCompact(
  stats: LogStats,
  thresholds: CompactionThresholds = DEFAULT_COMPACTION_THRESHOLDS,
): boolean {
  return stats.entries > 0 && (stats.entries >= thresholds.entries || stats.bytes >= thresholds.bytes);
}
