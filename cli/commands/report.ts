import { resolve } from 'node:path';
import { writeFilesAtomic } from '../../core/atomic-write.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import { findModelConfig, readRepoConfig } from '../../core/config/index.ts';
import { readMetricsReport } from '../../core/metrics/index.ts';
import { renderComment, renderModelCard, stickyMarker } from '../../core/report/index.ts';
import { parseCommandArgs, requireOption, verbosityOf } from '../args.ts';
import { cliLogger, type CliIO } from '../io.ts';

export const reportHelp = `Usage: cairn report --metrics metrics.json [options]

Renders the pull-request comment and the model card from a cairn.metrics/v1 file.

Options:
  --metrics PATH       metrics.json written by \`cairn evaluate\`
  --baseline PATH      metrics.json of the baseline (e.g. the main branch's model)
  --config PATH        repository config (default .github/cairn.yml, if present)
  --comment-out PATH   write the comment markdown here (default: print it to stdout)
  --card-out PATH      write the model card (MODEL_CARD.md) here
`;

export async function reportCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs('report', args, {
    metrics: { type: 'string' },
    baseline: { type: 'string' },
    config: { type: 'string' },
    'comment-out': { type: 'string' },
    'card-out': { type: 'string' },
  });
  if (values.help) return (io.stdout(reportHelp), 0);
  const logger = cliLogger(io, verbosityOf(values));
  const outputs = (['comment-out', 'card-out'] as const).flatMap((option) => {
    const shown = values[option];
    return shown === undefined ? [] : [{ path: resolve(io.cwd, shown), option: `--${option}`, shown }];
  });
  await checkOutputPaths(outputs); // before reading anything: a path that cannot be written is exit 2, nothing written
  const report = await readMetricsReport(resolve(io.cwd, requireOption('report', 'metrics', values.metrics)));
  const baseline = values.baseline ? await readMetricsReport(resolve(io.cwd, values.baseline)) : undefined;
  const config = await readRepoConfig(
    resolve(io.cwd, values.config ?? '.github/cairn.yml'),
    values.config !== undefined,
  );
  const model = config ? findModelConfig(config, report.name) : undefined;

  const modelCard = renderModelCard({ report, baseline, model });
  const comment = renderComment({
    report,
    baseline,
    modelCard,
    classNames: model?.labels,
    marker: stickyMarker(report.name),
  });
  const content = { '--comment-out': comment, '--card-out': modelCard };
  const files = outputs.map((output) => ({ path: output.path, data: content[output.option as keyof typeof content] }));
  await writeFilesAtomic(files);
  for (const file of files) logger.info(`wrote ${file.path}`);
  if (!values['comment-out']) io.stdout(comment);
  return 0;
}
