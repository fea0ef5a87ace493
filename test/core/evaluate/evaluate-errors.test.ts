/** Every way a user can get evaluateModel wrong ends in a UserError that says what to change. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { evaluateModel, type EvaluateOptions } from '../../../core/evaluate/evaluate-model.ts';
import type { SessionFactory } from '../../../core/evaluate/internal/model-session.ts';
import { UserError } from '../../../core/errors.ts';
import { memoryLogger, silentLogger } from '../../../core/logger.ts';
import { fixture } from './fixture-paths.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cairn-evaluate-'));
const binaryCsv = readFileSync(fixture('binary.csv'), 'utf8');

function writeScratch(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

const base: EvaluateOptions = {
  modelPath: fixture('binary.onnx'),
  dataPath: fixture('binary.csv'),
  target: 'churned',
  task: 'auto',
  device: 'cpu',
  batchSize: 128,
  logger: silentLogger,
};

async function rejectsWith(options: Partial<EvaluateOptions>, pattern: RegExp): Promise<void> {
  await assert.rejects(evaluateModel({ ...base, ...options }), (error: unknown) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('model problems', () => {
  test('a missing model file', async () => {
    await rejectsWith({ modelPath: join(scratch, 'nope.onnx') }, /model file not found: .*nope\.onnx\. Pass --model/);
  });

  test('a model trained on another feature count: expected vs got, and the columns used', async () => {
    await rejectsWith(
      { modelPath: fixture('binary_6_features.onnx') },
      /binary_6_features\.onnx input "float_input" expects 6 features \(\[N, 6\]\), but 4 were given \(every column of .*binary\.csv except the target "churned"\): "tenure", "monthly_charges", "support_calls", "contract_months"/,
    );
  });

  test('a ZipMap output names zipmap=False', async () => {
    await rejectsWith(
      { modelPath: fixture('binary_zipmap.onnx') },
      /output "output_probability" is a ZipMap.*zipmap=False/,
    );
  });

  test('a file that is not an ONNX model', async () => {
    await rejectsWith({ modelPath: fixture('binary.csv') }, /binary\.csv is not an ONNX model/);
  });
});

describe('data problems', () => {
  test('a missing target column lists the available columns', async () => {
    await rejectsWith(
      { target: 'churn' },
      /target column "churn" is not in .*binary\.csv\. Available columns: "tenure", "monthly_charges", "support_calls", "contract_months", "churned"\. Pass --target/,
    );
  });

  test('an empty data file', async () => {
    await rejectsWith({ dataPath: writeScratch('empty.csv', '') }, /empty\.csv is empty/);
  });

  test('a header without rows', async () => {
    await rejectsWith(
      { dataPath: writeScratch('header-only.csv', binaryCsv.split('\n')[0] + '\n') },
      /header-only\.csv has a header row but no data rows/,
    );
  });

  test('a non-numeric feature cell names file, row and column (from core/data)', async () => {
    const lines = binaryCsv.split('\n');
    lines[250] = lines[250].replace(/^[^,]+/, 'abc'); // data row 250: tenure
    await rejectsWith(
      { dataPath: writeScratch('bad-cell.csv', lines.join('\n')) },
      /bad-cell\.csv row 250, column "tenure": "abc" is not a number/,
    );
  });

  test('a target value the model does not know', async () => {
    const lines = readFileSync(fixture('multiclass.csv'), 'utf8').split('\n');
    lines[3] = lines[3].replace(/^[^,]+/, 'diamond');
    await rejectsWith(
      { modelPath: fixture('multiclass.onnx'), dataPath: writeScratch('tiers.csv', lines.join('\n')), target: 'tier' },
      /tiers\.csv row 3, column "tier": "diamond" is not one of the model's classes \(bronze, gold, platinum, silver\)/,
    );
  });

  test('a batch size that is not a positive whole number', async () => {
    await rejectsWith({ batchSize: 0 }, /batch size must be a whole number of rows >= 1, got 0/);
  });
});

describe('device problems', () => {
  const gpuAndProvider = {
    gpu: async () => ({ ok: true, detail: 'GPU 0: test' }),
    cudaProvider: async () => ({ ok: true, detail: 'provider installed' }),
  };
  const cudaBroken: SessionFactory = async (path, providers) => {
    if (providers.includes('cuda')) throw new Error('libcudnn.so.9: cannot open shared object file');
    return InferenceSession.create(path, { executionProviders: providers });
  };

  test('--device cuda without a GPU says what is missing', async () => {
    const probes = {
      gpu: async () => ({ ok: false, detail: 'no NVIDIA GPU found' }),
      cudaProvider: async () => ({ ok: false, detail: 'no CUDA provider' }),
    };
    await rejectsWith(
      { device: 'cuda', probes },
      /--device cuda cannot run here: no NVIDIA GPU found; no CUDA provider/,
    );
  });

  test("--device cuda when CUDA fails to start passes on onnxruntime's reason", async () => {
    await rejectsWith(
      { device: 'cuda', probes: gpuAndProvider, createSession: cudaBroken },
      /could not start its CUDA execution provider: libcudnn\.so\.9/,
    );
  });

  test('auto falls back to the CPU when CUDA fails to start, warns, and reports the CPU', async () => {
    const logger = memoryLogger();
    const report = await evaluateModel({
      ...base,
      device: 'auto',
      probes: gpuAndProvider,
      createSession: cudaBroken,
      logger,
    });
    assert.equal(report.runtime?.execution_provider, 'CPUExecutionProvider');
    assert.ok(
      logger.lines.some((line) => line.level === 'warn' && /CUDA failed to start \(libcudnn\.so\.9/.test(line.message)),
    );
  });
});
