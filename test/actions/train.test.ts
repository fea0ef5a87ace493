import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_GRACE_MS, parseTrainingRecord, type TrainingRecord } from '../../core/train/index.ts';
import { inputEnv, runBundledAction, runnerFiles } from '../support/action-runner.ts';
import { fakeNvidiaSmiDir, fakeProcDriver } from '../support/fake-nvidia-smi.ts';
import { assertInert, assertNoWorkflowCommands, HOSTILE, HOSTILE_LINE } from '../support/inert-markdown.ts';
import { isRunning, killAll, pidsIn, waitForFile } from '../support/processes.ts';
import { assertStepRefusal, listTree } from '../support/refusals.ts';

const BUNDLE = resolve('dist/train.js');
const TREE = resolve('test/fixtures/train/tree.sh');
/** The acceptance criterion itself: the tree is gone within the grace period (the action's is 5 s) plus one second. */
const WITHIN_MS = DEFAULT_GRACE_MS + 1000;

function readRecord(path: string): Promise<TrainingRecord> {
  return parseTrainingRecord(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** The runner's files and a step environment; no nvidia-smi unless `gpu` puts the fake one first on PATH. */
function trainStep(inputs: Record<string, string>, options: { gpu?: 'one' | 'eight' } = {}) {
  const runner = runnerFiles({ repository: 'acme/churn', eventName: 'push', sha: 'c'.repeat(40) });
  const env: Record<string, string> = {
    ...runner.env,
    PATH: options.gpu ? `${fakeNvidiaSmiDir}:${process.env.PATH ?? ''}` : (process.env.PATH ?? ''),
    CAIRN_NVIDIA_PROC_ROOT: fakeProcDriver(),
    ...(options.gpu ? { FAKE_NVIDIA_SMI_SCENARIO: options.gpu } : {}),
    ...inputEnv(inputs),
  };
  return { runner, env };
}

async function runStep(inputs: Record<string, string>, options: { gpu?: 'one' | 'eight' } = {}) {
  const { runner, env } = trainStep(inputs, options);
  const result = await runBundledAction(BUNDLE, env, { cwd: runner.dir });
  return { ...result, runner, outputs: runner.outputs() };
}

function errorLine(stdout: string): string {
  return stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
}

describe('actions/train (dist/train.js, run as the runner runs it)', () => {
  test('runs the command through bash; outputs, the record under RUNNER_TEMP and a summary with charts', async () => {
    const command = [
      'echo "epoch 1"',
      'sleep 2.2',
      'printf \'{"accuracy": 0.91}\' > metrics.json',
      'printf onnx-bytes > model.onnx',
    ].join('\n');
    const { runner, env } = trainStep({ command, model: 'model.onnx', metrics: 'metrics.json', name: 'churn' });
    writeFileSync(join(runner.dir, 'params.yaml'), 'epochs: 3\nlr: 0.5\n');
    env.INPUT_PARAMS = 'params.yaml';
    const step = await runBundledAction(BUNDLE, env, { cwd: runner.dir });
    const outputs = runner.outputs();
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.match(step.stdout, /^epoch 1$/m, "the command's output streams through");

    assert.equal(outputs['record-path'], join(runner.dir, 'cairn', 'churn.training.json'));
    assert.equal(outputs.status, 'succeeded');
    assert.equal(outputs['model-sha256'], createHash('sha256').update('onnx-bytes').digest('hex'));
    assert.equal(outputs['model-uri'], '');
    const record = await readRecord(outputs['record-path']);
    assert.equal(record.status, 'succeeded');
    assert.equal(record.exit_code, 0);
    assert.deepEqual(record.command.slice(0, 1), ['bash']);
    assert.equal(record.command.at(-1), command);
    assert.deepEqual(record.params, { epochs: 3, lr: 0.5 });
    assert.deepEqual(record.metrics, { accuracy: 0.91 });
    assert.equal(record.model?.sha256, outputs['model-sha256']);
    assert.deepEqual(record.git, { sha: 'c'.repeat(40), ref: null });

    const summary = runner.summary();
    assert.match(summary, /^### Training churn: ✅ succeeded in \d/m);
    assert.match(summary, /\| Exit code \| 0 \|/);
    assert.match(summary, new RegExp(`\\| Model sha256 \\| \`${outputs['model-sha256']}\` \\|`));
    assert.match(summary, /```mermaid\nxychart-beta\n {2}title "Resident memory of the command and its children"/);
    assert.doesNotMatch(summary, /GPU utilisation/, 'no GPU chart without a GPU');
  });

  test('on a GPU runner the summary charts each GPU and names it', async () => {
    const step = await runStep({ command: 'sleep 2.2', gpu: 'required' }, { gpu: 'one' });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    const record = await readRecord(step.outputs['record-path']);
    assert.equal(record.gpu?.count, 1);
    const summary = step.runner.summary();
    assert.match(summary, /\| GPUs \| 1 × NVIDIA H100 80GB HBM3, CUDA \d+/);
    assert.match(summary, /title "GPU utilisation"\n.*\n {2}y-axis "Utilisation \(%\)" 0 --> 100\n {2}line \[/);
    assert.match(summary, /title "GPU memory used"/);
    assert.match(summary, /\| 0 \| NVIDIA H100 80GB HBM3 \| \d+ % \| [\d,]+ MiB \|/);
  });

  test('a hostile command string and name stay inert in the summary and the log', async () => {
    const command = `cat >/dev/null <<'HOSTILE'\n${HOSTILE}\nHOSTILE`;
    const step = await runStep({ command, name: HOSTILE_LINE, gpu: 'none' });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.ok(step.outputs['record-path'].startsWith(join(step.runner.dir, 'cairn') + '/'));
    assert.equal((await readRecord(step.outputs['record-path'])).command.at(-1), command);
    assertInert(step.runner.summary());
    assertNoWorkflowCommands(step.stdout);
  });

  test('a failed command fails the step with its status and exit code; outputs, record and summary are still written', async () => {
    const step = await runStep({ command: 'echo partial > model.onnx; exit 3', model: 'model.onnx', gpu: 'none' });
    assert.equal(step.code, 1);
    assert.match(errorLine(step.stdout), /training failed: the command exited with code 3/);
    assert.equal(step.outputs.status, 'failed');
    assert.equal((await readRecord(step.outputs['record-path'])).exit_code, 3);
    assert.match(step.runner.summary(), /\| Status \| ❌ failed \|[\s\S]*\| Exit code \| 3 \|/);
  });

  test('push: true stores the model content-addressed in the remote; model-uri names it', async () => {
    const { runner, env } = trainStep({
      command: 'printf onnx-bytes > model.onnx',
      model: 'model.onnx',
      name: 'churn',
      push: 'true',
      remote: 'store',
      gpu: 'none',
    });
    const step = await runBundledAction(BUNDLE, env, { cwd: runner.dir });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    const outputs = runner.outputs();
    const sha = createHash('sha256').update('onnx-bytes').digest('hex');
    assert.match(outputs['model-uri'], new RegExp(`models/churn/sha256/${sha.slice(0, 2)}/${sha.slice(2)}$`));
    assert.equal(readFileSync(new URL(outputs['model-uri']), 'utf8'), 'onnx-bytes');
    assert.match(runner.summary(), /\| Model URI \| `file:\/\/\/[^`]*models\/churn\/sha256\//);
  });

  test('timeout-minutes stops the command: status timed_out, exit 124 in the message', async () => {
    const step = await runStep({ command: 'sleep 60', 'timeout-minutes': '0.01', gpu: 'none' });
    const returnedAt = Date.now();
    assert.equal(step.code, 1);
    const started = Date.parse((await readRecord(step.outputs['record-path'])).started_at);
    const stoppingMs = returnedAt - (started + 0.01 * 60_000);
    assert.ok(stoppingMs <= WITHIN_MS, `returned ${stoppingMs} ms after the timeout (grace + 1 s: ${WITHIN_MS})`);
    assert.match(errorLine(step.stdout), /training timed_out: .*timeout-minutes \(0\.01\).*exit 124/);
    assert.match(step.stdout, /^::warning::the command ran past its time limit \(timeout-minutes:\); stopping it/m);
    assert.doesNotMatch(step.stdout, /--timeout-minutes/);
    assert.equal(step.outputs.status, 'timed_out');
    assert.match(step.runner.summary(), /⏱️ timed out/);
  });

  // The runner cancels a step with SIGINT to the action's process, then SIGTERM 7.5 s later.
  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    test(`${signal} to the action stops the whole tree (a part ignoring SIGTERM, one setsid'd); outputs and summary are written`, async () => {
      const { runner, env } = trainStep({ command: TREE, gpu: 'none', name: 'churn' });
      env.PIDS = join(runner.dir, 'pids');
      env.READY = join(runner.dir, 'ready');
      const child = spawn(process.execPath, [BUNDLE], { cwd: runner.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      let exitedAt = 0;
      const exited = new Promise<number | null>((done) =>
        child.once('exit', (code) => {
          exitedAt = performance.now();
          done(code);
        }),
      );
      await waitForFile(env.READY);
      const tree = pidsIn(env.PIDS);
      try {
        const signalledAt = performance.now();
        child.kill(signal);
        const code = await exited;
        const stoppingMs = exitedAt - signalledAt;
        assert.ok(
          stoppingMs <= WITHIN_MS,
          `returned ${Math.round(stoppingMs)} ms after ${signal} (grace + 1 s: ${WITHIN_MS})`,
        );
        assert.equal(tree.length, 6);
        assert.deepEqual(
          tree.filter((pid) => isRunning(pid)),
          [],
          'every process of the tree is gone when the action returns',
        );
        assert.equal(code, 1);
        assert.match(errorLine(stdout), new RegExp(`training cancelled: .*exit ${exitCode}`));
        const outputs = runner.outputs();
        assert.equal(outputs.status, 'cancelled');
        assert.equal((await readRecord(outputs['record-path'])).status, 'cancelled');
        assert.match(runner.summary(), /^### Training churn: ⏹️ cancelled in /m);
      } finally {
        killAll(tree);
      }
    });
});

describe('actions/train refuses, naming the input, before anything runs', () => {
  const refused = async (inputs: Record<string, string>, message: RegExp, label: string) => {
    const step = await runStep(inputs);
    assertStepRefusal(step, message, label);
    assert.deepEqual(step.outputs, {}, `${label}: no outputs`);
    assert.ok(!existsSync(join(step.runner.dir, 'cairn')), `${label}: no record`);
    assert.deepEqual(
      listTree(step.runner.dir).filter((path) => !/^(output|summary\.md|path|env|event\.json)$/.test(path)),
      [],
      `${label}: nothing written`,
    );
  };

  test('no command: names `command:`', async () => {
    await refused({ gpu: 'none' }, /input command is required: set `command:`/, 'no command');
  });

  test('gpu: required on a machine without a GPU: nothing runs', async () => {
    const { runner, env } = trainStep({ command: 'touch ran', gpu: 'required' });
    env.PATH = dirname(process.execPath); // no nvidia-smi, whatever the test machine has
    const step = await runBundledAction(BUNDLE, env, { cwd: runner.dir });
    assert.equal(step.code, 1);
    assert.match(errorLine(step.stdout), /no GPU .*nothing ran.*runs-on: \[self-hosted, gpu\]/);
    // The message names the action's input, not the CLI's flag.
    assert.match(errorLine(step.stdout), /gpu: required, but .*or use gpu: optional/);
    assert.doesNotMatch(errorLine(step.stdout), /--gpu/);
    assert.ok(!existsSync(join(runner.dir, 'ran')), 'the command did not run');
    assert.deepEqual(runner.outputs(), {});
  });

  const cases: Array<[Record<string, string>, RegExp, string]> = [
    [{ command: 'true', gpu: 'maybe' }, /input gpu must be one of required, optional, none; got "maybe"/, 'bad gpu'],
    [{ command: 'true', 'timeout-minutes': '-1' }, /input timeout-minutes must be a positive number/, 'bad timeout'],
    [
      { command: 'true', 'working-directory': 'nowhere' },
      /input working-directory: nowhere is not a folder/,
      'bad cwd',
    ],
    [{ command: 'true', push: 'true' }, /push: true needs model: .* and name: /, 'push without model'],
    [{ command: 'true', remote: 's3://bucket' }, /input remote: goes with push: true/, 'remote without push'],
    [
      { command: 'true', params: 'missing.yaml' },
      /::error::params: missing\.yaml does not exist; nothing ran/,
      'missing params',
    ],
  ];
  for (const [inputs, message, label] of cases)
    test(label, async () => refused({ gpu: 'none', ...inputs }, message, label));
});
