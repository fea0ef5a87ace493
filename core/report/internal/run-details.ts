import { LATENCY_MIN_BATCHES, type MetricsReport, type TensorInfo } from '../../metrics/index.ts';
import { code, inert, formatCount, table } from '../format.ts';
import { describeData } from './data-lines.ts';

function shape(tensor: TensorInfo): string {
  return `[${tensor.shape.map((dim) => (dim === null ? '?' : String(dim))).join(', ')}]`;
}

function latencyLine(report: MetricsReport): string | undefined {
  const latency = report.latency;
  if (!latency) return undefined;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const { p50_ms: p50, p95_ms: p95, p99_ms: p99, batches } = latency;
  const rowsPerS = formatCount(Math.round(latency.rows_per_s));
  // Files from before `batches` was recorded keep their percentiles; newer ones have them only from enough batches.
  if (
    p50 !== undefined &&
    p95 !== undefined &&
    p99 !== undefined &&
    (batches === undefined || batches >= LATENCY_MIN_BATCHES)
  ) {
    return table(
      [
        ['batch size', 'rows/s', 'p50', 'p95', 'p99'],
        [formatCount(latency.batch_size), rowsPerS, ms(p50), ms(p95), ms(p99)],
      ],
      ['r', 'r', 'r', 'r', 'r'],
    );
  }
  const few =
    batches === undefined
      ? ''
      : `\n\n_${formatCount(batches)} timed ${batches === 1 ? 'batch' : 'batches'}, too few for percentiles (${LATENCY_MIN_BATCHES} needed)._`;
  return `${table(
    [
      ['batch size', 'rows/s'],
      [formatCount(latency.batch_size), rowsPerS],
    ],
    ['r', 'r'],
  )}${few}`;
}

/**
 * What ran and how fast: latency per batch, runtime and execution provider, the model's tensors,
 * the exact data and commit. Undefined when the report carries none of it.
 */
export function renderRunDetails(report: MetricsReport): string | undefined {
  const lines: string[] = [];
  const latency = latencyLine(report);
  if (latency) lines.push(`**Latency** (per batch):\n\n${latency}`);
  const facts: string[] = [];
  if (report.runtime)
    facts.push(
      `- **Runtime:** onnxruntime ${inert(report.runtime.onnxruntime)} on ${code(report.runtime.execution_provider)}`,
    );
  if (report.model) {
    facts.push(`- **Model:** ${code(report.model.path)}, sha256 ${code(report.model.sha256)}`);
    const tensors = (list: TensorInfo[]) => list.map((t) => `${code(t.name)} ${inert(t.type)} ${shape(t)}`).join(', ');
    if (report.model.inputs.length > 0) facts.push(`- **Inputs:** ${tensors(report.model.inputs)}`);
    if (report.model.outputs.length > 0) facts.push(`- **Outputs:** ${tensors(report.model.outputs)}`);
  }
  if (report.data) facts.push(`- **Data:** ${describeData(report.data)}`);
  if (report.git)
    facts.push(`- **Commit:** ${code(report.git.sha)}${report.git.ref ? ` (${code(report.git.ref)})` : ''}`);
  if (facts.length > 0) lines.push(facts.join('\n'));
  return lines.length > 0 ? lines.join('\n\n') : undefined;
}
