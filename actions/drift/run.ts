import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
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
import { JOB_SUMMARY_MAX_BYTES, renderDriftSection, truncateText } from '../../core/report/index.ts';
import { info, optionalInput, requiredInput } from '../shared/action-logger.ts';
import { parseEnumInput } from '../shared/inputs.ts';
import { appendJobSummary } from '../shared/job-summary.ts';
import { runnerPaths } from '../shared/runner-env.ts';

/** One entry per line (tests, thresholds) or per line and comma (columns), blank ones dropped. */
function listInput(name: string, separator: RegExp): string[] {
  return core
    .getInput(name)
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Every column `tests:` or `thresholds:` names must be compared; compareTables would name the CLI's flags. */
function checkNamedColumns(columns: readonly string[] | undefined, named: ReadonlyMap<string, unknown>, input: string) {
  if (!columns) return;
  for (const name of named.keys())
    if (!columns.includes(name))
      throw new UserError(`input ${input}: column "${name}" is not in columns:; add it there or remove this line.`);
}

function driftedNames(report: DriftReport): string[] {
  return report.columns.filter((column) => column.drifted).map((column) => column.name);
}

/**
 * actions/drift: `cairn drift` with each drifted column's chart data, its verdict in the outputs and the job
 * summary. Every input is checked before a table is read; the step fails only on bad input, or on drift when
 * `fail-on-drift: true`, and then after the report, the outputs and the summary are written.
 */
export async function run(): Promise<void> {
  const reference = requiredInput('reference');
  const current = requiredInput('current');
  const columnList = listInput('columns', /[\n,]/);
  const columns = columnList.length > 0 ? columnList : undefined;
  const tests = parseColumnTests('tests:', listInput('tests', /\r?\n/));
  const thresholds = parseColumnThresholds('thresholds:', listInput('thresholds', /\r?\n/));
  checkNamedColumns(columns, tests, 'tests');
  checkNamedColumns(columns, thresholds, 'thresholds');
  const share = parseDriftShare('share:', optionalInput('share'));
  const failOnDrift = parseEnumInput('fail-on-drift', ['true', 'false'] as const, 'false') === 'true';
  // Unnamed, the report goes where the runner keeps temporary files, never over a file of the checkout.
  const out = optionalInput('out') ?? join(runnerPaths().runnerTemp ?? tmpdir(), 'cairn', 'drift.json');
  const reportPath = resolve(out);
  await checkOutputPaths([{ path: reportPath, option: 'out:', shown: out, example: 'drift.json' }]);

  const report = await compareTables({
    reference: { path: resolve(reference), shown: reference },
    current: { path: resolve(current), shown: current },
    columns,
    tests,
    thresholds,
    share,
    bins: true,
  });
  await writeFileAtomic(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  const drifted = driftedNames(report);
  core.setOutput('drifted', String(report.dataset.drifted));
  core.setOutput('share', String(report.dataset.share));
  core.setOutput('drifted-columns', JSON.stringify(drifted));
  core.setOutput('report-path', reportPath);

  const { dataset } = report;
  info(
    `dataset: ${dataset.drifted ? 'drifted' : 'no drift'}, ${dataset.drifted_columns} of ${dataset.columns} columns drifted (share ${dataset.share.toFixed(2)}, threshold ${dataset.threshold}); report: ${out}`,
  );
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so this many units always fit GitHub's byte limit.
  const section = renderDriftSection(report, { source: out });
  await appendJobSummary(
    truncateText(
      section,
      Math.floor(JOB_SUMMARY_MAX_BYTES / 3),
      `_… cut here to fit the job summary; ${out} has every column._`,
    ),
  );
  if (failOnDrift && dataset.drifted)
    throw new GateFailure(
      `the dataset drifted: ${dataset.drifted_columns} of ${dataset.columns} columns (share ${dataset.share.toFixed(2)}, threshold ${dataset.threshold}): ${drifted.slice(0, 20).join(', ')}${drifted.length > 20 ? ', …' : ''}. fail-on-drift: true fails the step; ${out} and the job summary say more.`,
      drifted,
    );
}
