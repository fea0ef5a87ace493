/**
 * The evaluation record a check run carries: the metrics.json document in a fenced block after a
 * hidden marker, in output.text. The app and later runs read it back from the check run, so they
 * never need the object store to know how a commit's model scored.
 */
import type { Logger } from '../logger.ts';
import { METRICS_SCHEMA, type MetricsReport, metricsReportProblems } from '../metrics/index.ts';
import { CHECK_OUTPUT_LIMIT } from '../report/index.ts';

export const RECORD_MARKER = '<!-- cairn:record -->';

/** Dropped in this order until the record fits in output.text: the training record first (it is also in the
 * record file the workflow keeps), then the heaviest. */
const BULKY_FIELDS = ['training', 'curves', 'confusion_matrix', 'per_class', 'model.inputs', 'model.outputs'] as const;

function without(report: MetricsReport, fields: readonly string[]): MetricsReport {
  const copy: MetricsReport = { ...report, ...(report.model ? { model: { ...report.model } } : {}) };
  for (const field of fields) {
    if (field === 'model.inputs' && copy.model) copy.model.inputs = [];
    else if (field === 'model.outputs' && copy.model) copy.model.outputs = [];
    else delete copy[field as keyof MetricsReport];
  }
  return copy;
}

function fenced(json: string): string {
  // A fence longer than any backtick run inside (a model path could hold some) cannot close early.
  const longest = Math.max(0, ...(json.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}json\n${json}\n${fence}`;
}

function render(report: MetricsReport, omitted: readonly string[], pretty: boolean): string {
  const json = JSON.stringify(without(report, omitted), null, pretty ? 2 : undefined);
  const note =
    omitted.length > 0
      ? `\nOmitted to fit GitHub's ${CHECK_OUTPUT_LIMIT}-character limit: ${omitted.join(', ')}.\n`
      : '';
  return `Evaluation record (${METRICS_SCHEMA}), read back by Cairn:\n${note}\n${RECORD_MARKER}\n${fenced(json)}\n`;
}

/**
 * output.text for a check run: the record, pretty-printed when it fits, else compact, else with
 * bulky fields (curves first) left out. Returns which fields were left out.
 */
export function formatRecordText(
  report: MetricsReport,
  limit = CHECK_OUTPUT_LIMIT,
): { text: string; omitted: string[] } {
  // Only fields the report has are dropped (and named as dropped): a record without `training` says nothing of it.
  const present = BULKY_FIELDS.filter((field) =>
    field === 'model.inputs' || field === 'model.outputs'
      ? (report.model?.[field === 'model.inputs' ? 'inputs' : 'outputs'].length ?? 0) > 0
      : report[field] !== undefined,
  );
  const attempts: Array<[string[], boolean]> = [[[], true]];
  for (let n = 0; n <= present.length; n++) attempts.push([present.slice(0, n), false]);
  for (const [omitted, pretty] of attempts) {
    const text = render(report, omitted, pretty);
    if (text.length <= limit) return { text, omitted };
  }
  // Only the flat metrics map and scalars are left: something upstream produced a broken report.
  throw new Error(
    `evaluation record for "${report.name}" does not fit in ${limit} characters even without ${BULKY_FIELDS.join(', ')}`,
  );
}

/** The record a check run carries, or undefined when it has none (or one we cannot read). */
export function readRecordFromCheckRun(
  checkRun: { name?: string; id?: number; output?: { text?: string | null } | null },
  logger?: Logger,
): MetricsReport | undefined {
  const text = checkRun.output?.text ?? '';
  const at = text.indexOf(RECORD_MARKER);
  if (at < 0) return undefined;
  const block = /^(`{3,})json[ \t]*\r?\n([\s\S]*?)\r?\n\1[ \t]*$/m.exec(text.slice(at + RECORD_MARKER.length));
  const where = ['check run', checkRun.id, checkRun.name && `"${checkRun.name}"`].filter(Boolean).join(' ');
  if (!block) {
    logger?.warn(`${where} has a Cairn record marker but no JSON block after it; ignoring it`);
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(block[2]);
    const problems = metricsReportProblems(parsed);
    if (problems.length === 0) return parsed as MetricsReport;
    logger?.warn(`${where} holds JSON that is not a ${METRICS_SCHEMA} record (${problems.join('; ')}); ignoring it`);
  } catch (error) {
    logger?.warn(`${where} holds a record that is not valid JSON (${(error as Error).message}); ignoring it`);
  }
  return undefined;
}
