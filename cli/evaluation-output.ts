import { resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { GateFailure } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { MetricsReport } from '../core/metrics/index.ts';
import { formatMetricsSummary } from './format.ts';
import type { CliIO } from './io.ts';

/** Writes a metrics.json (evaluate or merge): --out, the table or JSON on stdout, exit 1 on a failed gate. */
export async function writeEvaluation(
  report: MetricsReport,
  baseline: MetricsReport | undefined,
  values: { out?: string; json?: boolean; quiet?: boolean },
  io: CliIO,
  logger: Logger,
): Promise<number> {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (values.out) {
    await writeFileAtomic(resolve(io.cwd, values.out), json);
    logger.info(`wrote ${values.out}`);
  }
  // A person at a terminal reads the table; a pipe (or --json) gets the JSON, as scripts expect.
  const tableOnStdout = !values.out && !values.json && io.stdoutIsTTY === true;
  if (tableOnStdout) io.stdout(formatMetricsSummary(report, baseline));
  else if (values.json || !values.out) io.stdout(json);
  if (!values.quiet && !tableOnStdout) io.stderr(formatMetricsSummary(report, baseline));
  if (report.gate && !report.gate.passed) {
    const failed = report.gate.rules.filter((rule) => !rule.passed).map((rule) => rule.rule);
    throw new GateFailure(`gate failed: ${failed.join(', ')}`, failed);
  }
  return 0;
}
