/** Formats a number for the table: few significant digits, thousands separated. */
function format(value, unit) {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'string') return value;
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

/** Meshpad ÷ reference, or null when either is not a positive number. */
export function ratio(meshpad, reference) {
  if (typeof meshpad !== 'number' || typeof reference !== 'number') return null;
  if (!Number.isFinite(meshpad) || !Number.isFinite(reference) || reference === 0) return null;
  return meshpad / reference;
}

/** Whether Meshpad's value beats the reference's, for metrics that have a direction. */
export function beatsReference(metric, meshpad, reference) {
  if (typeof meshpad !== 'number' || typeof reference !== 'number') return null;
  if (metric.better === 'lower') return meshpad < reference;
  if (metric.better === 'higher') return meshpad > reference;
  return null;
}

export function targetText(target) {
  if (!target) return '';
  if (target.max !== undefined) return `≤ ${format(target.max)}`;
  if (target.min !== undefined) return `≥ ${format(target.min)}`;
  return '';
}

export function meetsTarget(target, value) {
  if (!target || typeof value !== 'number' || Number.isNaN(value)) return null;
  if (target.max !== undefined) return value <= target.max;
  if (target.min !== undefined) return value >= target.min;
  return null;
}

const mark = (flag) => (flag === null ? '' : flag ? 'yes' : 'NO');

/** The rows of the result table, one per metric of each scenario that ran. */
export function tableRows(results) {
  return results.flatMap(({ scenario, byServer }) =>
    scenario.metrics.flatMap((metric) => {
      const meshpad = byServer.meshpad?.values?.[metric.key];
      const reference = byServer.reference?.values?.[metric.key];
      if (meshpad === undefined && reference === undefined && !byServer.meshpad?.error) return [];
      const r = ratio(meshpad, reference);
      return {
        scenario: scenario.key,
        metric: metric.unit ? `${metric.label} (${metric.unit})` : metric.label,
        meshpad: byServer.meshpad?.error ? 'error' : format(meshpad),
        reference: byServer.reference?.error ? 'error' : format(reference),
        ratio: r === null ? '' : `${format(r)}×`,
        beatsRef: mark(beatsReference(metric, meshpad, reference)),
        target: metric.target ? `${targetText(metric.target)} ${mark(meetsTarget(metric.target, meshpad))}` : '',
      };
    }),
  );
}

/** A plain-text table with aligned columns. */
export function renderTable(rows) {
  const columns = [
    ['scenario', 'sc'],
    ['metric', 'metric'],
    ['meshpad', 'Meshpad'],
    ['reference', 'reference'],
    ['ratio', 'Meshpad/ref'],
    ['beatsRef', 'better?'],
    ['target', 'Meshpad target met?'],
  ];
  const widths = columns.map(([key, title]) => Math.max(title.length, ...rows.map((row) => String(row[key]).length)));
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' │ ');
  return [
    line(columns.map(([, title]) => title)),
    widths.map((w) => '─'.repeat(w)).join('─┼─'),
    ...rows.map((row) => line(columns.map(([key]) => row[key]))),
  ].join('\n');
}
