import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TelemetrySample } from '../../../core/gpu/index.ts';
import { renderTrainingSummary } from '../../../core/report/index.ts';
import type { TrainingRecord } from '../../../core/train/index.ts';
import { assertInert, HOSTILE, HOSTILE_LINE } from '../../support/inert-markdown.ts';
import { isBalanced, readTable } from './markdown-table-reader.ts';
import { sampleTrainingRecord } from './sample-reports.ts';

/** The sample record as a summary test wants it: a 243 s run, GPU 1 idle, nothing optional recorded. */
function record(overrides: Partial<TrainingRecord> = {}): TrainingRecord {
  return sampleTrainingRecord({
    finished_at: '2026-12-07T10:04:03.000Z',
    duration_s: 243,
    telemetry: {
      interval_s: 1,
      samples: 244,
      peak_rss_mb: 2_048.4,
      gpus: [
        { index: 0, peak_memory_mib: 40_960, mean_utilization_pct: 87.4 },
        { index: 1, peak_memory_mib: 512, mean_utilization_pct: 0 },
      ],
    },
    params: null,
    metrics: null,
    data: [],
    git: null,
    runner: { name: 'gpu-box', os: 'Linux', arch: 'X64', labels: null },
    ...overrides,
  });
}

/** A sample a second for `seconds`, with a spike of RSS at `spikeAt` that downsampling must keep. */
function series(seconds: number, spikeAt: number): TelemetrySample[] {
  return Array.from({ length: seconds + 1 }, (_, t) => ({
    t_s: t,
    rss_mb: t === spikeAt ? 9_999 : 1_000,
    gpus: [
      { index: 0, utilization_pct: 90, memory_used_mib: 40_000 },
      { index: 1, utilization_pct: 0, memory_used_mib: 500 },
    ],
  }));
}

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1]);
}

function lines(block: string): number[][] {
  return [...block.matchAll(/^ {2}line \[(.*)\]$/gm)].map((match) => match[1].split(', ').map(Number));
}

describe('renderTrainingSummary', () => {
  test('a table of the run and one chart each for RSS, GPU utilisation and GPU memory, one line per GPU', () => {
    const markdown = renderTrainingSummary({
      record: record(),
      series: series(243, 100),
      name: 'churn',
      recordPath: '/runner/_temp/cairn/churn.training.json',
      modelUri: 's3://models/churn/sha256/aa/aaa',
    });
    assert.match(markdown, /^### Training churn: ✅ succeeded in 4 min 3 s\n/);
    const table = readTable(markdown, '');
    assert.ok(isBalanced(markdown));
    assert.deepEqual(Object.fromEntries(table.rows.map((row) => [row[''], row['This run']])), {
      Status: '✅ succeeded',
      'Exit code': '0',
      Duration: '4 min 3 s',
      'Peak RSS': '2,048 MiB',
      GPUs: '2 × NVIDIA H100 80GB HBM3, CUDA 12.4',
      'Model sha256': `\`${'a'.repeat(64)}\``,
      'Model URI': '`s3://models/churn/sha256/aa/aaa`',
      Command: '`python train.py --epochs 3`',
      Record: '`/runner/_temp/cairn/churn.training.json`',
    });
    assert.match(markdown, /\| 0 \| NVIDIA H100 80GB HBM3 \| 87 % \| 40,960 MiB \|/);

    const [rss, utilisation, memory] = mermaidBlocks(markdown);
    assert.equal(mermaidBlocks(markdown).length, 3);
    assert.match(rss, /x-axis "Time \(s\)" 0 --> 243/);
    assert.equal(lines(rss).length, 1);
    assert.equal(lines(utilisation).length, 2, 'one line per GPU');
    assert.deepEqual(new Set(lines(utilisation)[0]), new Set([90]));
    assert.equal(lines(memory).length, 2);
    assert.match(memory, /y-axis "Memory \(MiB\)" 0 --> 89715/, 'the axis reaches the GPU memory');
  });

  test('a long run is downsampled to at most 100 points a line, keeping a one-sample spike', () => {
    const markdown = renderTrainingSummary({ record: record({ duration_s: 36_000 }), series: series(36_000, 12_345) });
    for (const block of mermaidBlocks(markdown))
      for (const line of lines(block)) assert.ok(line.length <= 100, `${line.length} points`);
    assert.ok(lines(mermaidBlocks(markdown)[0])[0].includes(9_999), 'the RSS spike survives');
    assert.ok(Buffer.byteLength(markdown) < 8_000, `${Buffer.byteLength(markdown)} bytes`);
  });

  test('every status, a signal instead of an exit code, no GPU, no model, too few samples', () => {
    const cancelled = renderTrainingSummary({
      record: record({
        status: 'cancelled',
        exit_code: null,
        signal: 'SIGTERM',
        duration_s: 12.34,
        gpu: { count: 0, driver_version: null, cuda_version: null, devices: [], labels: [], reason: 'exit 9' },
        telemetry: { interval_s: 1, samples: 1, peak_rss_mb: 10, gpus: [] },
        model: null,
      }),
      series: series(0, 0),
    });
    assert.match(cancelled, /^### Training: ⏹️ cancelled in 12\.3 s/);
    assert.match(cancelled, /\| Exit code \| none: ended by SIGTERM \|/);
    assert.match(cancelled, /\| GPUs \| none \(exit 9\) \|/);
    assert.match(cancelled, /\| Model sha256 \| none \|/);
    assert.match(cancelled, /\| Model URI \| not pushed \|/);
    assert.match(cancelled, /_No chart: 1 telemetry sample, too few\._/);
    assert.doesNotMatch(cancelled, /```mermaid/);
    assert.match(renderTrainingSummary({ record: record({ status: 'timed_out' }) }), /⏱️ timed out/);
    assert.match(renderTrainingSummary({ record: record({ gpu: null }) }), /\| GPUs \| not probed \|/);
  });

  test('hostile strings from the command, the name, a GPU name and the probe reason stay inert', () => {
    const hostile = record({
      command: ['bash', '-c', HOSTILE],
      signal: HOSTILE_LINE,
      exit_code: null,
      gpu: {
        count: 1,
        driver_version: HOSTILE_LINE,
        cuda_version: HOSTILE_LINE,
        devices: [{ index: 0, name: HOSTILE, uuid: 'x', memory_total_mib: 1, compute_capability: null }],
        labels: [],
        reason: HOSTILE,
      },
      telemetry: {
        interval_s: 1,
        samples: 2,
        peak_rss_mb: 1,
        gpus: [{ index: 0, peak_memory_mib: 1, mean_utilization_pct: 1 }],
      },
    });
    const markdown = renderTrainingSummary({
      record: hostile,
      series: series(5, 2),
      command: `${HOSTILE}\n${'x'.repeat(5_000)}`,
      name: HOSTILE,
      recordPath: HOSTILE_LINE,
      modelUri: HOSTILE_LINE,
    });
    assertInert(markdown);
    // assertInert also checks that every table row keeps its cells and every fence closes.
    assert.ok(markdown.length < 10_000, 'a long command is cut');
  });
});
