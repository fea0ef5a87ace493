import { inspectTable, type TableSchema } from '../../data/index.ts';
import { UserError } from '../../errors.ts';
import { DRIFT_REPORT_SCHEMA, type DriftReport } from '../drift-report.schema.ts';
import { MAX_BINNED_COLUMNS, summaryBins } from './bins.ts';
import { datasetDrift, summaryDrift, type ColumnDrift, type SkippedColumn } from './column.ts';
import { BYTES_PER_DISTINCT_TEXT, planReads, readSide, type ReadMode, type SideRead } from './read-columns.ts';
import { DistinctBudget, GroupTooLargeError, NumberSide, sortedSide, tallySides, TextSide } from './sides.ts';
import type { SortScratch } from './sort-float64.ts';
import { TEST_THRESHOLDS, type ColumnSummary, type DriftTest } from './tests.ts';

export interface CompareTablesOptions {
  reference: { path: string; shown: string };
  current: { path: string; shown: string };
  /** Default: every column of either file; one found in only one of them is skipped. */
  columns?: readonly string[];
  tests?: ReadonlyMap<string, DriftTest>;
  thresholds?: ReadonlyMap<string, number>;
  /** Share of drifted columns that makes the dataset drift (Evidently's 0.5). */
  share?: number;
  /** Bytes of values one group of columns may hold (default GROUP_BUDGET_BYTES); tests shrink it to force groups. */
  groupBudgetBytes?: number;
  /** Give the first MAX_BINNED_COLUMNS drifted columns `bins`, the chart data a report draws. */
  bins?: boolean;
}

export function isDriftTest(name: string): name is DriftTest {
  return Object.hasOwn(TEST_THRESHOLDS, name);
}

/** Columns the user named (--columns, --test, --threshold) must be in both files; refused before any read. */
function checkNamed(options: CompareTablesOptions, referenceSchema: TableSchema, currentSchema: TableSchema) {
  const columns = options.columns ?? referenceSchema.columns;
  const twice = options.columns?.find((name, i) => options.columns!.indexOf(name) !== i);
  if (twice !== undefined)
    throw new UserError((option) => `column "${twice}" is named twice in ${option('columns')}; name each column once.`);
  const named = [...(options.columns ?? []), ...(options.tests?.keys() ?? []), ...(options.thresholds?.keys() ?? [])];
  for (const name of named) {
    for (const [side, schema, shown] of [
      ['reference', referenceSchema, options.reference.shown],
      ['current', currentSchema, options.current.shown],
    ] as const) {
      if (!schema.columns.includes(name))
        throw new UserError(
          `column "${name}" is not in the ${side} data ${shown}; its columns are: ${schema.columns.join(', ')}.`,
        );
    }
    if (!columns.includes(name))
      throw new UserError(
        (option) => `column "${name}" has a --test or --threshold but is not in ${option('columns')}; add it there.`,
      );
  }
}

/**
 * CSV kinds come from a sample: a sampled text cell makes the column categorical for sure, so it is counted as text
 * from the first pass; every other column starts as numbers and falls back to text when a cell says so.
 */
function initialMode(name: string, reference: TableSchema, current: TableSchema): ReadMode {
  const sampledText = (schema: TableSchema) => schema.format === 'csv' && schema.kinds[name] === 'string';
  return sampledText(reference) || sampledText(current) ? 'cat' : 'num';
}

const holdsText = (side: NumberSide | TextSide | undefined): boolean => side instanceof NumberSide && side.notANumber;

async function readAgainAsText(
  path: string,
  schema: TableSchema,
  read: SideRead,
  names: readonly string[],
  budget?: DistinctBudget,
) {
  if (names.length === 0) return;
  const again = await readSide(path, schema, new Map(names.map((name) => [name, 'cat' as const])), undefined, budget);
  for (const name of names) read.sides.set(name, again.sides.get(name)!);
}

function summaryOf(
  reference: NumberSide | TextSide,
  current: NumberSide | TextSide,
  scratch: SortScratch,
): ColumnSummary {
  if (reference instanceof TextSide && current instanceof TextSide)
    return { kind: 'cat', tally: tallySides(reference, current) };
  const sortedReference = sortedSide(reference as NumberSide, scratch);
  return {
    kind: 'num',
    reference: sortedReference.values,
    current: sortedSide(current as NumberSide, scratch).values,
    referenceStd: sortedReference.std,
  };
}

interface Table {
  path: string;
  schema: TableSchema;
  /** Estimated rows (text formats): what each numeric side reserves. */
  rows?: number;
}

/**
 * One group of columns: the reference read once, then the current (a column found to hold text in the reference is
 * counted as text there straight away), then, only for a column whose text showed up after it was read as numbers,
 * both sides again as text. What is held meanwhile: see compareTables.
 */
async function groupDrift(
  group: readonly string[],
  reference: Table,
  current: Table,
  options: CompareTablesOptions,
  scratch: SortScratch,
  binned: { count: number },
) {
  const modes = new Map(group.map((name) => [name, initialMode(name, reference.schema, current.schema)]));
  // A column read alone holds what it must; a group's text columns may hold what the plan gave them (8 bytes a row).
  const budget =
    group.length > 1 && reference.rows !== undefined && current.rows !== undefined
      ? new DistinctBudget(Math.floor((group.length * 8 * (reference.rows + current.rows)) / BYTES_PER_DISTINCT_TEXT))
      : undefined;
  const referenceRead = await readSide(reference.path, reference.schema, modes, reference.rows, budget);
  for (const name of group) if (holdsText(referenceRead.sides.get(name))) modes.set(name, 'cat');
  const currentRead = await readSide(current.path, current.schema, modes, current.rows, budget);
  const asText = group.filter(
    (name) => holdsText(referenceRead.sides.get(name)) || holdsText(currentRead.sides.get(name)),
  );
  await readAgainAsText(reference.path, reference.schema, referenceRead, asText, budget);
  await readAgainAsText(
    current.path,
    current.schema,
    currentRead,
    asText.filter((name) => currentRead.sides.get(name) instanceof NumberSide),
    budget,
  );
  const results = new Map<string, ColumnDrift | SkippedColumn>();
  for (const name of group) {
    const summary = summaryOf(referenceRead.sides.get(name)!, currentRead.sides.get(name)!, scratch);
    // Released as soon as scored: the next column's sort then reuses the memory.
    referenceRead.sides.delete(name);
    currentRead.sides.delete(name);
    const result = summaryDrift(name, summary, {
      test: options.tests?.get(name),
      threshold: options.thresholds?.get(name),
    });
    const charted = options.bins && 'drifted' in result && result.drifted && binned.count < MAX_BINNED_COLUMNS;
    if (charted) binned.count += 1;
    results.set(name, charted ? { ...result, bins: summaryBins(summary) } : result);
  }
  return { results, referenceRows: referenceRead.rows, currentRows: currentRead.rows };
}

/**
 * The drift report for two tables. Every named column is checked against both files before any is read, so a typo
 * costs no read of a large file; a column in only one file that nobody named is skipped.
 *
 * Memory: the columns are read in groups (planReads: as many as fit 160 MiB of values for both files, so a 1M × 1M
 * row, 20-column comparison reads two groups of 10). Per column of the group being read it holds, for a numeric
 * column, each side's finite values as one float64 each (8 bytes a row: 16 MB for 1M + 1M rows), because ks and
 * wasserstein need every value sorted to be exact; for a categorical one, a count per distinct text, because every
 * test on it needs only counts. Nothing else grows with the rows: core/data streams 64 Ki-row batches from 1 MiB reads.
 * Each numeric side is one array reserved from the estimated row count, sorted in place (a radix sort that borrows one
 * scratch array, reused). So the peak is about Node's own ~60 MB + the group's values (<= 160 MiB) + the scratch.
 */
export async function compareTables(options: CompareTablesOptions): Promise<DriftReport> {
  const [referenceSchema, currentSchema] = await Promise.all([
    inspectTable(options.reference.path),
    inspectTable(options.current.path),
  ]);
  checkNamed(options, referenceSchema, currentSchema);
  const columns = options.columns ?? [...new Set([...referenceSchema.columns, ...currentSchema.columns])];
  const reference: Table = { path: options.reference.path, schema: referenceSchema };
  const current: Table = { path: options.current.path, schema: currentSchema };
  const oneSided = new Map<string, SkippedColumn>();
  for (const name of columns) {
    if (!currentSchema.columns.includes(name)) oneSided.set(name, { name, reason: 'only in the reference data' });
    else if (!referenceSchema.columns.includes(name)) oneSided.set(name, { name, reason: 'only in the current data' });
  }
  const compared = columns.filter((name) => !oneSided.has(name));
  const results = new Map<string, ColumnDrift | SkippedColumn>(oneSided);
  let rows: { referenceRows: number; currentRows: number } | undefined;
  const plan = await planReads(compared, reference, current, options.groupBudgetBytes);
  reference.rows = plan.referenceRows;
  current.rows = plan.currentRows;
  const scratch: SortScratch = {};
  // Columns are scored in report order, so the first drifted ones get the charts.
  const binned = { count: 0 };
  for (const planned of plan.groups) {
    let groups = [planned];
    for (let attempt = 0; attempt < groups.length; attempt += 1) {
      try {
        const drift = await groupDrift(groups[attempt]!, reference, current, options, scratch, binned);
        for (const [name, result] of drift.results) results.set(name, result);
        rows ??= drift;
      } catch (error) {
        if (!(error instanceof GroupTooLargeError)) throw error;
        // Text columns with many distinct values (IDs): what the pass held is dropped, and each column is read alone.
        groups = planned.map((name) => [name]);
        attempt = -1;
      }
    }
  }
  // No column to compare: the files are still read, for their row counts.
  rows ??= {
    referenceRows: (await readSide(reference.path, referenceSchema, new Map())).rows,
    currentRows: (await readSide(current.path, currentSchema, new Map())).rows,
  };
  const drifts: ColumnDrift[] = [];
  const skipped: SkippedColumn[] = [];
  for (const name of columns) {
    const result = results.get(name)!;
    if ('kind' in result) drifts.push(result);
    else skipped.push(result);
  }
  return {
    schema: DRIFT_REPORT_SCHEMA,
    reference: { path: options.reference.shown, rows: rows.referenceRows },
    current: { path: options.current.shown, rows: rows.currentRows },
    columns: drifts,
    skipped,
    dataset: datasetDrift(drifts, options.share),
  };
}
