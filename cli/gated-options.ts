/** What `cairn evaluate` and `cairn evaluate merge` share: the options that act on the whole evaluation's metrics. */
import { resolve } from 'node:path';
import type { Logger } from '../core/logger.ts';
import { BOOTSTRAP_DEFAULTS, checkResamples } from '../core/metrics/index.ts';
import { readTrainingRecord } from '../core/train/index.ts';
import { parsePositiveInt } from './args.ts';
import { gitInfo } from './git-info.ts';
import { baselineFromRefFor } from './github-env.ts';
import type { CliIO } from './io.ts';

/** `--bootstrap N`: 0 turns the intervals off; at most MAX_RESAMPLES. */
export function parseBootstrap(value: string | undefined, fallback: number): number {
  return checkResamples(value?.trim() === '0' ? 0 : parsePositiveInt('bootstrap', value, fallback));
}

export interface GatedValues {
  bootstrap?: string;
  name?: string;
  baseline?: string;
  gate?: string;
  'no-gate'?: boolean;
  config?: string;
  'training-record'?: string;
}

/** The gate, baseline, config, bootstrap and training record, as runGatedEvaluation and runGatedMerge take them. */
export async function gatedOptions(values: GatedValues, io: CliIO, root: string, logger: Logger) {
  return {
    bootstrap: { resamples: parseBootstrap(values.bootstrap, BOOTSTRAP_DEFAULTS.resamples) },
    name: values.name,
    baseline:
      values.baseline && !values.baseline.startsWith('ref:') ? resolve(io.cwd, values.baseline) : values.baseline,
    gate: values.gate,
    noGate: values['no-gate'],
    configPath: values.config !== undefined ? resolve(io.cwd, values.config) : resolve(root, '.github/cairn.yml'),
    configExplicit: values.config !== undefined,
    git: gitInfo(io.env, io.cwd),
    training:
      values['training-record'] === undefined
        ? undefined
        : await readTrainingRecord(resolve(io.cwd, values['training-record']), values['training-record']),
    repositoryRoot: root,
    logger,
    baselineFromRef: baselineFromRefFor(io.env, logger),
  };
}
