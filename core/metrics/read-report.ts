import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import { metricsReportProblems } from './metrics-report.schema.ts';
import { METRICS_SCHEMA, type MetricsReport } from './types.ts';

/** Parses a metrics.json document, with errors that name the file and what is wrong. */
export function parseMetricsReport(text: string, source: string): MetricsReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${source} is not valid JSON (${(error as Error).message}); pass a metrics.json written by \`cairn evaluate\`.`,
      { cause: error },
    );
  }
  const report = value as Partial<MetricsReport> | null;
  if (!report || typeof report !== 'object' || report.schema !== METRICS_SCHEMA) {
    throw new UserError(
      `${source} is not a Cairn metrics file: expected "schema": "${METRICS_SCHEMA}"; pass a metrics.json written by \`cairn evaluate\`.`,
    );
  }
  if (report.task !== 'binary' && report.task !== 'multiclass' && report.task !== 'regression') {
    throw new UserError(
      `${source}: "task" must be binary, multiclass or regression; got ${JSON.stringify(report.task)}.`,
    );
  }
  if (!report.metrics || typeof report.metrics !== 'object') {
    throw new UserError(`${source}: "metrics" must be an object of metric name -> number.`);
  }
  const problems = metricsReportProblems(report);
  if (problems.length > 0) {
    throw new UserError(
      `${source} is not a valid ${METRICS_SCHEMA} document (${problems.join('; ')}); pass a metrics.json written by \`cairn evaluate\`.`,
    );
  }
  return report as MetricsReport;
}

export async function readMetricsReport(path: string): Promise<MetricsReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`metrics file not found: ${path}`, { cause: error });
    if (code === 'EISDIR')
      throw new UserError(`${path} is a folder; pass the metrics.json file written by \`cairn evaluate\`.`, {
        cause: error,
      });
    throw new UserError(`cannot read the metrics file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseMetricsReport(text, path);
}
