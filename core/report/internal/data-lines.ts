import { dataFiles, type MetricsReport } from '../../metrics/index.ts';
import { code, formatCount } from '../format.ts';

/**
 * The evaluation data as the report shows it: each file with its sha256 and rows; a merged
 * evaluation (`cairn evaluate merge`) also says how many partials it combined.
 */
export function describeData(data: NonNullable<MetricsReport['data']>): string {
  const files = dataFiles(data)
    .map((file) => `${code(file.path)}, sha256 ${code(file.sha256)}, ${formatCount(file.rows)} rows`)
    .join('; ');
  if (!('parts' in data)) return files;
  const parts = data.parts.length;
  return `${files} (merged from ${parts} shard partial${parts === 1 ? '' : 's'}, ${formatCount(data.rows)} rows in all)`;
}
