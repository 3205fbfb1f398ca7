/** Medians with min and max, and ratios between medians, for the report. */

export function summarize(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n: 0, median: NaN, min: NaN, max: NaN };
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { n, median, min: sorted[0], max: sorted[n - 1] };
}

/** `a / b` of two summaries' medians. */
export function ratio(a, b) {
  return a.median / b.median;
}

/** "4.1x" (two significant figures below 10). */
export function times(x) {
  if (!Number.isFinite(x)) return 'n/a';
  return `${x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2)}x`;
}

/** A number for a table cell: thousands separators, `digits` decimals. */
export function fmt(x, digits = 0) {
  if (!Number.isFinite(x)) return 'n/a';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "median [min–max]" for a table cell. */
export function cell(summary, digits = 0, scale = 1) {
  if (summary.n === 0) return 'failed';
  const { median, min, max } = summary;
  return `${fmt(median * scale, digits)} [${fmt(min * scale, digits)}–${fmt(max * scale, digits)}]`;
}
