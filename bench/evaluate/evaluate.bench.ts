import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { measure, median, type Measurement } from '../measure.ts';

const DATA = 'bench/.data/evaluate';
const RUNS = 3;

export interface EvaluateBench {
  markdown: string;
  ok: boolean;
}

/** bench/evaluate: `cairn evaluate` end to end vs the Python peer vs onnxruntime-node's run() alone. */
export async function benchEvaluate(rows: number): Promise<EvaluateBench> {
  const eval_ = join(DATA, 'eval.csv');
  const model = join(DATA, 'model.onnx');
  if (!existsSync(eval_)) measure([process.execPath, 'bench/evaluate/make-data.mjs', DATA, String(rows)]);
  if (!existsSync(model))
    measure([
      process.execPath,
      'examples/churn/train.mjs',
      '--data',
      join(DATA, 'train.csv'),
      '--out',
      model,
      '--target',
      'y',
      '--quiet',
    ]);

  const contenders: Record<string, string[]> = {
    cairn: [
      process.execPath,
      'dist/cli.js',
      'evaluate',
      '--model',
      model,
      '--data',
      eval_,
      '--target',
      'y',
      '--task',
      'binary',
      '--device',
      'cpu',
      '--out',
      join(DATA, 'metrics.json'),
      '--quiet',
    ],
    python: ['/usr/bin/python3', 'bench/evaluate/peer.py', model, eval_, 'y'],
    floor: [process.execPath, '--import', 'tsx', 'bench/evaluate/floor.ts', model, eval_],
  };
  const runs: Record<string, Measurement[]> = {};
  for (let i = 0; i < RUNS; i++) {
    for (const [name, command] of Object.entries(contenders)) (runs[name] ??= []).push(measure(command));
  }
  const wall = (name: string) => median(runs[name].map((m) => m.wallSeconds));
  const rss = (name: string) => Math.max(...runs[name].map((m) => m.peakRssMb));
  const inner = (name: string, key: string) => median(runs[name].map((m) => JSON.parse(m.stdout)[key] as number));
  const ratio = wall('cairn') / wall('python');
  const ok = ratio <= 1.5 && rss('cairn') < 1536;
  const markdown = [
    `### bench/evaluate — ${rows.toLocaleString('en')} rows x 8 float features (binary), median of ${RUNS} runs`,
    '',
    '| contender | wall s | inner s | peak RSS MB |',
    '| --- | ---: | ---: | ---: |',
    `| \`cairn evaluate\` (end to end: parse, hash, infer, all metrics, curves, write) | ${wall('cairn').toFixed(2)} | | ${rss('cairn').toFixed(0)} |`,
    `| Python peer (pandas read_csv + numpy inference + sklearn metrics) | ${wall('python').toFixed(2)} | ${inner('python', 'seconds_after_imports').toFixed(2)} after imports | ${rss('python').toFixed(0)} |`,
    `| floor: onnxruntime-node \`run()\` on pre-parsed batches | ${wall('floor').toFixed(2)} | ${inner('floor', 'inference_seconds').toFixed(2)} inference only | ${rss('floor').toFixed(0)} |`,
    '',
    `Cairn / Python wall ratio: **${ratio.toFixed(2)}x** (target <= 1.5x); Cairn peak memory ${rss('cairn').toFixed(0)} MB (target < 1536 MB): ${ok ? 'met' : 'NOT met'}.`,
  ].join('\n');
  return { markdown, ok };
}
