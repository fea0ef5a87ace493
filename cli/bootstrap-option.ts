import { checkResamples } from '../core/metrics/index.ts';
import { parsePositiveInt } from './args.ts';

/** `--bootstrap N` (evaluate, evaluate merge): 0 turns the intervals off; at most MAX_RESAMPLES. */
export function parseBootstrap(value: string | undefined, fallback: number): number {
  return checkResamples(value?.trim() === '0' ? 0 : parsePositiveInt('bootstrap', value, fallback));
}
