import { resolve } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import {
  compareTables,
  parseColumnTests,
  parseColumnThresholds,
  parseDriftShare,
  type DriftReport,
} from '../../core/drift/index.ts';
import { GateFailure, UserError } from '../../core/errors.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import { parseCommandArgs, requireOption } from '../args.ts';
import type { CliIO } from '../io.ts';

export const driftHelp = `Usage: cairn drift --reference FILE --current FILE [options]

Compares each column of the current data with the reference data, with Evidently's tests and
defaults: ks, chisquare or z on up to 1000 reference rows, wasserstein or jensenshannon above; psi on
request. Missing and infinite cells are dropped first; a column left empty, or found in only one
file (and not named in --columns), is skipped. The dataset drifts when the share of drifted columns
reaches --share. Tables: CSV, TSV, JSONL, Parquet, read a group of columns at a time.
On a terminal it prints a table; on a pipe, or with --json, the drift.json JSON:
  {schema: "cairn.drift/v1", reference: {path, rows}, current: {path, rows},
   columns: [{name, kind, test, score, threshold, drifted}], skipped: [{name, reason}],
   dataset: {columns, drifted_columns, share, threshold, drifted}}
score is the p-value for ks, chisquare and z (drift below the threshold), the distance otherwise
(drift at or above it).

Options:
  --reference FILE        the data the model was trained on
  --current FILE          the fresh data
  --columns a,b,...       the columns to compare (default: every column of either file)
  --test COLUMN=TEST      this column's test: ks, chisquare, z, wasserstein, jensenshannon, psi (repeatable)
  --threshold COLUMN=V    this column's threshold instead of the test's default (repeatable)
  --share S               share of drifted columns, in (0, 1], that makes the dataset drift (default 0.5)
  --fail-on-drift         exit 1 when the dataset drifted
  --out PATH              write drift.json here (default: print it to stdout)
  --json                  print the JSON to stdout even on a terminal
  -q, --quiet

Exit codes: 0 whatever drifted, 1 the dataset drifted with --fail-on-drift, 2 bad usage or bad input.
`;

export async function driftCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs('drift', args, {
    reference: { type: 'string' },
    current: { type: 'string' },
    columns: { type: 'string' },
    test: { type: 'string', multiple: true },
    threshold: { type: 'string', multiple: true },
    share: { type: 'string' },
    'fail-on-drift': { type: 'boolean' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(driftHelp), 0);
  const reference = requireOption('drift', 'reference', values.reference);
  const current = requireOption('drift', 'current', values.current);
  const columns = values.columns
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (columns?.length === 0) throw new UserError('--columns names no column; give them as a,b,c or leave it out.');
  const tests = parseColumnTests('--test', values.test);
  const thresholds = parseColumnThresholds('--threshold', values.threshold);
  const share = parseDriftShare('--share', values.share);
  if (values.out !== undefined)
    await checkOutputPaths([
      { path: resolve(io.cwd, values.out), option: '--out', shown: values.out, example: 'drift.json' },
    ]);
  const report = await compareTables({
    reference: { path: resolve(io.cwd, reference), shown: reference },
    current: { path: resolve(io.cwd, current), shown: current },
    columns,
    tests,
    thresholds,
    share,
    // The drifted columns' reference-vs-current shares, so a report (actions/report's drift:) can chart them.
    bins: true,
  });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (values.out) await writeFileAtomic(resolve(io.cwd, values.out), json);
  // A person at a terminal reads the table; a pipe (or --json) gets the JSON, as scripts expect.
  const tableOnStdout = !values.out && !values.json && io.stdoutIsTTY === true;
  if (tableOnStdout) io.stdout(formatDriftTable(report));
  else if (values.json || !values.out) io.stdout(json);
  if (!values.quiet && !tableOnStdout) io.stderr(formatDriftTable(report));
  if (values['fail-on-drift'] && report.dataset.drifted) {
    const drifted = report.columns.filter((column) => column.drifted).map((column) => column.name);
    throw new GateFailure(
      `the dataset drifted: ${drifted.join(', ')} (${report.dataset.drifted_columns} of ${report.dataset.columns} columns, share ${report.dataset.threshold} or more).`,
      drifted,
    );
  }
  return 0;
}

function formatScore(score: number): string {
  return score !== 0 && Math.abs(score) < 0.001 ? score.toExponential(2) : score.toFixed(4);
}

export function formatDriftTable(report: DriftReport): string {
  const header = ['column', 'kind', 'test', 'score', 'threshold', 'verdict'];
  const rows = report.columns.map((column) => [
    column.name,
    column.kind,
    column.test,
    formatScore(column.score),
    String(column.threshold),
    column.drifted ? 'DRIFT' : 'ok',
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const { dataset } = report;
  const out = [
    `reference ${report.reference.path} (${report.reference.rows} rows) vs current ${report.current.path} (${report.current.rows} rows)`,
    line(header),
    ...rows.map(line),
    ...report.skipped.map((column) => `skipped ${column.name}: ${column.reason}`),
    `dataset: ${dataset.drifted ? 'DRIFT' : 'no drift'}, ${dataset.drifted_columns} of ${dataset.columns} columns drifted (share ${dataset.share.toFixed(2)}, threshold ${dataset.threshold})`,
  ];
  return `${out.join('\n')}\n`;
}
