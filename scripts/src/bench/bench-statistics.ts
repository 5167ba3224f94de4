/** Small helpers shared by the benchmarks: timing, percentiles and a printed table. */

export interface Measurement {
  label: string;
  count: number;
  totalMs: number;
  p50Ms: number;
  p95Ms: number;
  perSecond: number;
}

export async function measure(label: string, count: number, operation: (index: number) => Promise<unknown>, concurrency = 1): Promise<Measurement> {
  const latencies: number[] = new Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < count; index = next++) {
        const began = performance.now();
        await operation(index);
        latencies[index] = performance.now() - began;
      }
    }),
  );
  const totalMs = performance.now() - started;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    label,
    count,
    totalMs,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    perSecond: (count / totalMs) * 1000,
  };
}

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}

export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (value: string | number) => (typeof value === 'number' ? formatNumber(value) : value);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(cell(row[column] ?? '')).length)));
  const line = (values: string[]) => `| ${values.map((value, index) => value.padEnd(widths[index]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(columns));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(columns.map((column) => String(cell(row[column] ?? '')))));
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
