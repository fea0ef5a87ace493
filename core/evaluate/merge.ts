/**
 * `cairn evaluate merge`: the partials of `cairn evaluate --shard` runs become one metrics.json
 * equal to one run over all their rows. Partials must come from one model (same bytes, task,
 * classes and decision rule), and each data file must be covered exactly once: every shard
 * 1..N of it, none twice. Rows are merged file by file in the order the files are first named,
 * each file's shards in order, so the bootstrap draws the same rows as one run over the files
 * concatenated in that order would.
 */
import { resolve } from 'node:path';
import { UserError } from '../errors.ts';
import {
  BOOTSTRAP_DEFAULTS,
  type BootstrapSettings,
  type DataPart,
  METRICS_SCHEMA,
  MetricsAccumulator,
  type MetricsPartial,
  type MetricsReport,
  readMetricsPartial,
  scoreAccumulator,
} from '../metrics/index.ts';
import { runGated, type GatedEvaluation, type GateOptions } from './gated.ts';
import { shardRange } from './shard.ts';

const short = (sha256: string) => sha256.slice(0, 12);

/** Partials in merge order, after checking that they belong together and cover each file once. */
export function orderPartials(partials: readonly MetricsPartial[]): MetricsPartial[] {
  if (partials.length === 0) throw new UserError('name at least one partial to merge.');
  const [first] = partials;
  const ref = first.source;
  for (const part of partials.slice(1)) {
    const { source, accumulator, file } = part;
    const differs = (what: string, mine: string, theirs: string) =>
      new UserError(
        `${file} is a partial of ${what} ${mine}, but ${first.file} is of ${theirs}: merge only the partials of one model's evaluation.`,
      );
    if (source.model.sha256 !== ref.model.sha256)
      throw differs('model sha256', short(source.model.sha256), short(ref.model.sha256));
    if (accumulator.task !== first.accumulator.task)
      throw differs('a', `${accumulator.task} evaluation`, `a ${first.accumulator.task} one`);
    const classes = (p: MetricsPartial) => `[${p.accumulator.classes.join(', ')}]`;
    if (classes(part) !== classes(first)) throw differs('classes', classes(part), classes(first));
    if (JSON.stringify(source.decision ?? null) !== JSON.stringify(ref.decision ?? null))
      throw differs('decision rule', JSON.stringify(source.decision), JSON.stringify(ref.decision));
  }

  const files = new Map<string, MetricsPartial[]>();
  for (const part of partials) {
    const group = files.get(part.source.data.sha256) ?? [];
    group.push(part);
    files.set(part.source.data.sha256, group);
  }
  const ordered: MetricsPartial[] = [];
  for (const group of files.values()) ordered.push(...checkCoverage(group));
  return ordered;
}

/** One data file's partials, by shard index: all N shards of one split, each once. */
function checkCoverage(group: MetricsPartial[]): MetricsPartial[] {
  const [first] = group;
  const { path, rows, shard } = first.source.data;
  const name = `${path} (sha256 ${short(first.source.data.sha256)})`;
  for (const part of group) {
    const data = part.source.data;
    if (data.shard.count !== shard.count || data.rows !== rows)
      throw new UserError(
        `${part.file} is shard ${data.shard.index}/${data.shard.count} of ${name}, but ${first.file} is shard ${shard.index}/${shard.count}: ` +
          'shards of one file must come from one split; evaluate every shard with the same N.',
      );
    const range = shardRange(rows, data.shard);
    if (data.shard.first_row !== range.start + 1 || data.shard.last_row !== range.end)
      throw new UserError(
        `${part.file}: shard ${data.shard.index}/${data.shard.count} of ${rows} rows is rows ${range.start + 1}..${range.end}, but it holds ${data.shard.first_row}..${data.shard.last_row}; regenerate it with cairn.`,
      );
  }
  const byIndex = new Map<number, MetricsPartial>();
  for (const part of group) {
    const index = part.source.data.shard.index;
    const twin = byIndex.get(index);
    if (twin)
      throw new UserError(
        `shard ${index}/${shard.count} of ${name} is given twice: ${twin.file} and ${part.file}. Pass each shard once.`,
      );
    byIndex.set(index, part);
  }
  const missing = Array.from({ length: shard.count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) {
    const given = [...byIndex.keys()]
      .sort((a, b) => a - b)
      .map((index) => `${index}/${shard.count} (${byIndex.get(index)!.file})`)
      .join(', ');
    throw new UserError(
      `shard${missing.length === 1 ? '' : 's'} ${missing.map((index) => `${index}/${shard.count}`).join(', ')} of ${name} ${missing.length === 1 ? 'is' : 'are'} missing; given: ${given}. ` +
        'A merge needs every shard, or the metrics would not be those of the whole file.',
    );
  }
  return [...byIndex.values()].sort((a, b) => a.source.data.shard.index - b.source.data.shard.index);
}

/** The metrics.json of the partials' rows, without a gate; `name` defaults to the partials' model name. */
export function mergePartials(
  partials: readonly MetricsPartial[],
  options: { name?: string; bootstrap?: Partial<BootstrapSettings> } = {},
): MetricsReport {
  const ordered = orderPartials(partials);
  const [first] = ordered;
  const accumulator = new MetricsAccumulator(first.accumulator.task, first.accumulator.classes);
  for (const part of ordered) accumulator.merge(part.accumulator);
  const { bootstrapMs: _ms, ...scored } = scoreAccumulator(accumulator, {
    ...BOOTSTRAP_DEFAULTS,
    ...options.bootstrap,
  });
  const parts: DataPart[] = ordered.map(({ source, accumulator }) => ({
    path: source.data.path,
    sha256: source.data.sha256,
    rows: accumulator.rows,
    shard: `${source.data.shard.index}/${source.data.shard.count}`,
  }));
  const same = (value: (p: MetricsPartial) => string) => ordered.every((p) => value(p) === value(first));
  const { target, features } = first.source.data;
  return {
    schema: METRICS_SCHEMA,
    name: options.name ?? first.source.name,
    task: accumulator.task,
    rows: accumulator.rows,
    ...scored,
    model: first.source.model,
    data: {
      rows: accumulator.rows,
      parts,
      ...(same((p) => p.source.data.target) && { target }),
      ...(same((p) => JSON.stringify(p.source.data.features)) && { features }),
    },
    ...(first.source.decision && { decision: first.source.decision }),
    created_at: new Date().toISOString(),
  };
}

export type MergeOptions = Omit<GateOptions, 'modelPath' | 'task' | 'recordPathsRelativeTo'> & {
  /** Partial files, as the user named them; read relative to `cwd`. */
  parts: string[];
  cwd: string;
  bootstrap?: Partial<BootstrapSettings>;
};

/** Reads and checks the partials, merges them, and checks the gate on the merged metrics. */
export async function runGatedMerge(options: MergeOptions): Promise<GatedEvaluation> {
  const partials: MetricsPartial[] = [];
  for (const part of options.parts) partials.push(await readMetricsPartial(resolve(options.cwd, part), part));
  const ordered = orderPartials(partials);
  const { model } = ordered[0].source;
  options.logger.info(
    `merging ${ordered.length} partial${ordered.length === 1 ? '' : 's'} of ${model.path} (sha256 ${short(model.sha256)}): ${ordered.reduce((sum, p) => sum + p.accumulator.rows, 0)} rows`,
  );
  return runGated(
    { ...options, modelPath: resolve(options.cwd, model.path), task: ordered[0].accumulator.task },
    // Without --name or a config entry, the name the shards recorded (their --name) beats the file's stem.
    async (settings) =>
      mergePartials(ordered, {
        name: settings.chosen ? settings.name : ordered[0].source.name,
        bootstrap: options.bootstrap,
      }),
  );
}
