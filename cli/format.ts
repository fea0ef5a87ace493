import { formatGateResult, type MetricsReport } from '../core/metrics/index.ts';

const fmt = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(4));

/** The short plain-text summary a terminal user reads after `cairn evaluate`. */
export function formatMetricsSummary(report: MetricsReport, baseline?: MetricsReport): string {
  const rows = Object.entries(report.metrics).map(([name, value]) => {
    const before = baseline?.metrics[name];
    const delta = typeof value === 'number' && typeof before === 'number' ? value - before : undefined;
    return [
      name,
      fmt(value),
      baseline ? fmt(before) : '',
      delta === undefined ? '' : `${delta >= 0 ? '+' : ''}${delta.toFixed(4)}`,
    ];
  });
  const header = ['metric', 'value', baseline ? 'baseline' : '', baseline ? 'change' : ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [`${report.name} (${report.task}, ${report.rows} rows)`, line(header), ...rows.map(line)];
  const latency = report.latency;
  if (latency) {
    const tail =
      latency.p50_ms !== undefined && latency.p99_ms !== undefined
        ? `p50 ${latency.p50_ms.toFixed(2)} ms, p99 ${latency.p99_ms.toFixed(2)} ms per batch of ${latency.batch_size}; `
        : `batches of ${latency.batch_size}${latency.batches !== undefined ? ` (${latency.batches}, too few for percentiles)` : ''}; `;
    out.push(`latency: ${tail}${Math.round(latency.rows_per_s)} rows/s`);
  }
  if (report.gate) out.push(...formatGateResult(report.gate));
  else if (report.gate_disabled)
    out.push(
      `Gate turned off (--no-gate)${report.gate_disabled.configured ? `: ${report.gate_disabled.configured} not checked` : ''}`,
    );
  return `${out.join('\n')}\n`;
}
