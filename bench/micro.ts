/**
 * bench/micro: the small measurements behind design choices whose code comments say why, not how
 * fast (md5 on a worker thread, Intl.NumberFormat built once, accumulator state as base64).
 *
 *   npx tsx bench/micro.ts
 *
 * Prints a markdown table and rewrites the `micro` section of bench/RESULTS.md.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { encodeArray } from '../core/metrics/internal/accumulator-state.ts';
import { replaceSection } from './measure.ts';

function seconds(work: () => void): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1000;
}

// md5 throughput on one core (core/store/internal/md5-worker.ts): 256 MiB in 1 MiB updates, best of 3.
const block = Buffer.alloc(1 << 20, 0xa5);
const md5Seconds = Math.min(
  ...[1, 2, 3].map(() =>
    seconds(() => {
      const hash = createHash('md5');
      for (let i = 0; i < 256; i++) hash.update(block);
      hash.digest();
    }),
  ),
);
const md5MiBs = 256 / md5Seconds;

// Number formatting (core/report/format.ts): toLocaleString with options vs one kept Intl.NumberFormat.
const N = 20_000;
const kept = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const each = seconds(() => {
  for (let i = 0; i < N; i++) (i / 7).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
});
const once = seconds(() => {
  for (let i = 0; i < N; i++) kept.format(i / 7);
});

// Accumulator state (core/metrics/internal/accumulator-state.ts): scores as base64 vs as JSON numbers.
const scores = Float32Array.from({ length: 100_000 }, (_, i) => Math.abs(Math.sin(i * 12.9898)));
const base64Chars = encodeArray(scores).base64.length;
const jsonChars = JSON.stringify(Array.from(scores)).length;

const markdown = [
  '### bench/micro — measurements behind design choices',
  '',
  '| figure | value | the choice it supports |',
  '| --- | ---: | --- |',
  `| md5, one core, 1 MiB updates | ${md5MiBs.toFixed(0)} MiB/s (1 GiB: ${(1024 / md5MiBs).toFixed(1)} s of a core) | core/store/internal/md5-worker.ts hashes a large pull's parts on a worker thread, off the thread that drives the downloads |`,
  `| \`toLocaleString\` with options / a kept \`Intl.NumberFormat\` | ${((each / N) * 1e6).toFixed(1)} µs / ${((once / N) * 1e6).toFixed(2)} µs per number | core/report/format.ts builds its formatters once (a model card formats hundreds of numbers) |`,
  `| 100,000 float32 scores as JSON numbers / as base64 | ${jsonChars.toLocaleString('en')} / ${base64Chars.toLocaleString('en')} characters (${(jsonChars / base64Chars).toFixed(1)}x) | core/metrics/internal/accumulator-state.ts stores rows as little-endian base64 |`,
  '',
  'Command: `npx tsx bench/micro.ts`.',
  '',
  `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version} (${new Date().toISOString().slice(0, 10)}).`,
].join('\n');
console.log(markdown);
writeFileSync('bench/RESULTS.md', replaceSection(readFileSync('bench/RESULTS.md', 'utf8'), 'micro', markdown));
