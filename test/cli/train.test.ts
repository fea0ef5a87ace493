import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseTrainingRecord, type TrainingRecord } from '../../core/train/index.ts';
import { CHURN, CLI, runCli, tempDir, trainChurn } from '../support/cli.ts';
import { assertCliRefusal, listTree } from '../support/refusals.ts';
import { isRunning, killAll, pidsIn, waitForFile } from '../support/processes.ts';

const TREE = resolve('test/fixtures/train/tree.sh');
const GRACE_S = 0.5;
/** The acceptance criterion itself: the whole tree is gone within the grace period plus one second. */
const WITHIN_MS = GRACE_S * 1000 + 1000;

function readRecord(path: string): Promise<TrainingRecord> {
  return parseTrainingRecord(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** Starts `argv` (cairn, or bash exec'ing it) on the tree fixture, signals it once the tree runs, and waits. */
async function cancelTree(signal: NodeJS.Signals, argv: (dir: string) => string[]) {
  const dir = tempDir('cairn-train-cli-');
  const [file, ...args] = argv(dir);
  const child = spawn(file, args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PIDS: join(dir, 'pids'),
      READY: join(dir, 'ready'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exitedAt = 0;
  const code = new Promise<number | null>((done) =>
    child.once('exit', (exitCode) => {
      exitedAt = performance.now();
      done(exitCode);
    }),
  );
  await waitForFile(join(dir, 'ready'));
  const tree = pidsIn(join(dir, 'pids'));
  const signalledAt = performance.now();
  child.kill(signal);
  try {
    const exitCode = await code;
    const stoppingMs = exitedAt - signalledAt;
    const record = await readRecord(join(dir, 'cairn-training.json'));
    return { dir, code: exitCode, tree, stderr, record, stoppingMs };
  } finally {
    killAll(tree);
  }
}

const cairnTrain = () => [
  process.execPath,
  CLI,
  'train',
  '--grace-seconds',
  String(GRACE_S),
  '--gpu',
  'none',
  '--',
  TREE,
];

describe('cairn train: cancellation and timeout', () => {
  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${signal} to cairn train: the whole tree (one part ignoring SIGTERM, one setsid'd) is gone, the record says cancelled, exit ${exitCode}`, async () => {
      const { code, tree, record, stderr, stoppingMs } = await cancelTree(signal, cairnTrain);
      assert.ok(
        stoppingMs <= WITHIN_MS,
        `exited ${Math.round(stoppingMs)} ms after ${signal} (grace + 1 s: ${WITHIN_MS})`,
      );
      assert.equal(tree.length, 6);
      assert.deepEqual(
        tree.filter((pid) => isRunning(pid)),
        [],
      );
      assert.equal(code, exitCode, stderr);
      assert.equal(record.status, 'cancelled');
      assert.deepEqual(record.command, [TREE]);
    });
  }

  test("a run: step's `bash -c 'exec cairn train -- ...'` receiving SIGINT cancels the same way", async () => {
    const { code, tree, record, stderr, stoppingMs } = await cancelTree('SIGINT', () => [
      'bash',
      '-c',
      `exec ${cairnTrain()
        .map((word) => `'${word}'`)
        .join(' ')}`,
    ]);
    assert.ok(stoppingMs <= WITHIN_MS, `exited ${Math.round(stoppingMs)} ms after SIGINT (grace + 1 s: ${WITHIN_MS})`);
    assert.deepEqual(
      tree.filter((pid) => isRunning(pid)),
      [],
    );
    assert.equal(code, 130, stderr);
    assert.equal(record.status, 'cancelled');
  });

  test('--timeout-minutes: the tree is stopped, the record says timed_out, exit 124', async () => {
    const dir = tempDir('cairn-train-cli-');
    const env = { PIDS: join(dir, 'pids'), READY: join(dir, 'ready') };
    const result = await runCli(
      ['train', '--timeout-minutes', '0.01', '--grace-seconds', String(GRACE_S), '--gpu', 'none', '--', TREE],
      { cwd: dir, env },
    );
    const returnedAt = Date.now();
    const tree = pidsIn(env.PIDS);
    try {
      assert.deepEqual(
        tree.filter((pid) => isRunning(pid)),
        [],
      );
      assert.equal(result.code, 124, result.stderr);
      const record = await readRecord(join(dir, 'cairn-training.json'));
      assert.equal(record.status, 'timed_out');
      const stoppingMs = returnedAt - (Date.parse(record.started_at) + 0.01 * 60_000);
      assert.ok(stoppingMs <= WITHIN_MS, `exited ${stoppingMs} ms after the timeout (grace + 1 s: ${WITHIN_MS})`);
    } finally {
      killAll(tree.filter((pid) => isRunning(pid)));
    }
  });
});

describe('cairn train: exit codes and the record', () => {
  for (const exitCode of [0, 3, 42]) {
    test(`the command's exit code ${exitCode} is cairn train's`, async () => {
      const dir = tempDir('cairn-train-cli-');
      const result = await runCli(['train', '--gpu', 'none', '--', 'sh', '-c', `echo out; exit ${exitCode}`], {
        cwd: dir,
      });
      assert.equal(result.code, exitCode, result.stderr);
      assert.equal(result.stdout, 'out\n', "the command writes to cairn's stdout");
      const record = await readRecord(join(dir, 'cairn-training.json'));
      assert.equal(record.status, exitCode === 0 ? 'succeeded' : 'failed');
      assert.equal(record.exit_code, exitCode);
    });
  }

  test('--gpu required on a machine with no GPU refuses before the command starts: exit 2, no record', async () => {
    const dir = tempDir('cairn-train-cli-');
    const bin = join(dir, 'bin'); // a PATH with no nvidia-smi, and a driver /proc with no GPU
    mkdirSync(bin);
    symlinkSync('/bin/sh', join(bin, 'sh'));
    mkdirSync(join(dir, 'proc', 'gpus'), { recursive: true });
    const result = await runCli(['train', '--gpu', 'required', '--', 'sh', '-c', 'touch ran'], {
      cwd: dir,
      env: { PATH: bin, CAIRN_NVIDIA_PROC_ROOT: join(dir, 'proc') },
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /no GPU \(nvidia-smi is not on PATH/);
    assert.match(result.stderr, /runs-on: \[self-hosted, gpu\]/);
    assert.equal(existsSync(join(dir, 'ran')), false, 'the command did not run');
    assert.equal(existsSync(join(dir, 'cairn-training.json')), false, 'no record');
  });

  test("the record holds the run's params, metrics, model, data versions, git and runner", async () => {
    const dir = tempDir('cairn-train-cli-');
    writeFileSync(join(dir, 'params.yaml'), 'train:\n  epochs: 3\n  lr: 0.01\n');
    writeFileSync(join(dir, 'data.csv'), 'a,b\n1,2\n');
    const md5 = createHash('md5').update('a,b\n1,2\n').digest('hex');
    writeFileSync(join(dir, 'data.csv.dvc'), `outs:\n- md5: ${md5}\n  size: 8\n  hash: md5\n  path: data.csv\n`);
    const script = 'echo \'{"accuracy": 0.9}\' > metrics.json; printf model > model.onnx';
    const result = await runCli(
      [
        'train',
        '--record',
        'out/record.json',
        '--params',
        'params.yaml',
        '--metrics',
        'metrics.json',
        '--model',
        'model.onnx',
        '--data',
        'data.csv.dvc',
        '--',
        'sh',
        '-c',
        script,
      ],
      {
        cwd: dir,
        env: {
          GITHUB_SHA: 'a'.repeat(40),
          GITHUB_REF: 'refs/heads/main',
          RUNNER_NAME: 'gpu-box-1',
          RUNNER_OS: 'Linux',
          RUNNER_ARCH: 'X64',
          CAIRN_RUNNER_LABELS: 'self-hosted,linux,x64,gpu,gpu-h100-80gb-hbm3',
        },
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const record = await readRecord(join(dir, 'out', 'record.json'));
    assert.equal(record.status, 'succeeded');
    assert.deepEqual(record.command, ['sh', '-c', script]);
    assert.deepEqual(record.params, { train: { epochs: 3, lr: 0.01 } });
    assert.deepEqual(record.metrics, { accuracy: 0.9 });
    assert.deepEqual(record.model, {
      path: 'model.onnx',
      sha256: createHash('sha256').update('model').digest('hex'),
      bytes: 5,
    });
    assert.deepEqual(record.data, [{ path: 'data.csv', md5 }]);
    assert.deepEqual(record.git, { sha: 'a'.repeat(40), ref: 'refs/heads/main' });
    assert.deepEqual(record.runner, {
      name: 'gpu-box-1',
      os: 'Linux',
      arch: 'X64',
      labels: ['self-hosted', 'linux', 'x64', 'gpu', 'gpu-h100-80gb-hbm3'],
    });
    assert.ok(record.gpu !== null && record.gpu.count === 0 && record.gpu.labels.length === 0);
    assert.equal(record.telemetry.interval_s, 1);
    assert.ok(Date.parse(record.finished_at) >= Date.parse(record.started_at));
  });

  test("telemetry samples the command tree's memory while it runs", async () => {
    const dir = tempDir('cairn-train-cli-');
    const result = await runCli(
      [
        'train',
        '--telemetry-interval',
        '0.2',
        '--',
        process.execPath,
        '-e',
        'const b = Buffer.alloc(64 << 20, 1); setTimeout(() => b, 1500)',
      ],
      { cwd: dir },
    );
    assert.equal(result.code, 0, result.stderr);
    const { telemetry } = await readRecord(join(dir, 'cairn-training.json'));
    assert.equal(telemetry.interval_s, 0.2);
    assert.ok(telemetry.samples >= 3, `samples: ${telemetry.samples}`);
    assert.ok(telemetry.peak_rss_mb >= 64, `peak RSS: ${telemetry.peak_rss_mb} MB`);
  });

  test('data that does not match its .dvc pointer refuses the run: exit 2, nothing ran', async () => {
    const dir = tempDir('cairn-train-cli-');
    writeFileSync(join(dir, 'data.csv'), 'changed\n');
    writeFileSync(
      join(dir, 'data.csv.dvc'),
      `outs:\n- md5: ${'f'.repeat(32)}\n  size: 8\n  hash: md5\n  path: data.csv\n`,
    );
    const result = await runCli(['train', '--data', 'data.csv.dvc', '--', 'sh', '-c', 'touch ran'], { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /data\.csv \(data\.csv\.dvc\) has changed/);
    assert.equal(existsSync(join(dir, 'ran')), false);
    assert.equal(existsSync(join(dir, 'cairn-training.json')), false);
  });

  test('metrics the command did not write: null, with a warning when it succeeded, silently when it failed', async () => {
    const dir = tempDir('cairn-train-cli-');
    const ok = await runCli(['train', '--metrics', 'metrics.json', '--', 'true'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /warning: --metrics metrics\.json: the command succeeded but did not write it/);
    assert.equal((await readRecord(join(dir, 'cairn-training.json'))).metrics, null);
    const failed = await runCli(['train', '--metrics', 'metrics.json', '--', 'false'], { cwd: dir });
    assert.equal(failed.code, 1);
    assert.doesNotMatch(failed.stderr, /did not write it/);
  });

  test('the default record path never overwrites a file Cairn did not write', async () => {
    const dir = tempDir('cairn-train-cli-');
    writeFileSync(join(dir, 'cairn-training.json'), '{"mine": true}\n');
    const result = await runCli(['train', '--', 'sh', '-c', 'touch ran'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /not a training record that Cairn wrote/);
    assert.equal(existsSync(join(dir, 'ran')), false);
  });

  test('--push stores the model under its sha256 in the model folder, the record beside it, and prints model-uri', async () => {
    const dir = tempDir('cairn-train-cli-');
    const remote = join(dir, 'remote');
    const result = await runCli(
      [
        'train',
        '--model',
        'model.onnx',
        '--push',
        '--name',
        'churn',
        '--remote',
        remote,
        '--',
        'sh',
        '-c',
        'printf weights > model.onnx',
      ],
      { cwd: dir },
    );
    assert.equal(result.code, 0, result.stderr);
    const sha256 = createHash('sha256').update('weights').digest('hex');
    const object = join(remote, 'models', 'churn', 'sha256', sha256.slice(0, 2), sha256.slice(2));
    assert.equal(readFileSync(object, 'utf8'), 'weights');
    assert.equal((await readRecord(`${object}.training.json`)).model?.sha256, sha256);
    assert.match(
      result.stdout,
      new RegExp(`^model-uri: file://.*/models/churn/sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}\\n$`),
    );
  });

  test('without -- COMMAND: a usage error', async () => {
    const result = await runCli(['train', '--gpu', 'none'], { cwd: tempDir() });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /name the command after --/);
  });
  /** Run in a fresh folder holding the files `setup` makes; the command would leave `ran` if it ran. */
  const refusals: Array<[string, string[], RegExp, (dir: string) => void]> = [
    ['an unknown --gpu', ['--gpu', 'maybe'], /--gpu must be one of required, optional, none; got "maybe"/, () => {}],
    ['--timeout-minutes 0', ['--timeout-minutes', '0'], /--timeout-minutes must be a positive number/, () => {}],
    ['--timeout-minutes abc', ['--timeout-minutes', 'abc'], /--timeout-minutes must be a positive number/, () => {}],
    [
      'a folder where the record goes',
      ['--record', 'out'],
      /--record out is a folder; name a file to write \(for example out\/cairn-training\.json\)/,
      (dir) => mkdirSync(join(dir, 'out')),
    ],
    ['a record name over 255 bytes', ['--record', `${'r'.repeat(300)}.json`], /longer than 255 bytes/, () => {}],
    ['missing --params', ['--params', 'missing.yaml'], /--params missing\.yaml does not exist; nothing ran/, () => {}],
    [
      'params that are not YAML',
      ['--params', 'bad.yaml'],
      /bad\.yaml: invalid YAML/,
      (dir) => writeFileSync(join(dir, 'bad.yaml'), 'x: [\n'),
    ],
    [
      'params over 1 MiB',
      ['--params', 'big.json'],
      /--params .*big\.json is 2000000 bytes, over the 1048576-byte limit/,
      (dir) => writeFileSync(join(dir, 'big.json'), 'a'.repeat(2_000_000)),
    ],
    ['--push without --model and --name', ['--push'], /--push needs --model .* and --name/, () => {}],
    ['a missing --data pointer', ['--data', 'nope.dvc'], /nope\.dvc does not exist/, () => {}],
    ['an unknown option', ['--bogus'], /Unknown option '--bogus'/, () => {}],
  ];
  for (const [name, args, message, setup] of refusals) {
    test(`refused before the command runs, nothing written: ${name}`, async () => {
      const dir = tempDir('cairn-train-refusal-');
      setup(dir);
      const before = listTree(dir);
      const result = await runCli(['train', '--gpu', 'none', ...args, '--', 'touch', 'ran'], { cwd: dir });
      assertCliRefusal(result, { message }, name);
      assert.deepEqual(listTree(dir), before, `${name}: nothing ran and nothing was written`);
    });
  }
});

describe('cairn evaluate --training-record', () => {
  test('puts the record in metrics.json as `training`, and the report shows it; a file that is not a record is exit 2', async () => {
    const dir = tempDir('cairn-train-cli-');
    const trained = await runCli(['train', '--gpu', 'none', '--', 'sh', '-c', 'exit 0'], { cwd: dir });
    assert.equal(trained.code, 0, trained.stderr);
    const model = await trainChurn(dir);
    const evaluate = (record: string) =>
      runCli(
        [
          'evaluate',
          '--model',
          model,
          '--data',
          join(CHURN, 'data', 'eval.csv'),
          '--target',
          'churned',
          '--name',
          'churn',
        ].concat(['--training-record', record, '--out', 'metrics.json', '-q']),
        { cwd: dir },
      );
    const result = await evaluate('cairn-training.json');
    assert.equal(result.code, 0, result.stderr);
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { training?: TrainingRecord };
    assert.equal(metrics.training?.schema, 'cairn.training/v1');
    assert.equal(metrics.training?.status, 'succeeded');
    const report = await runCli(['report', '--metrics', 'metrics.json', '--card-out', 'card.md'], { cwd: dir });
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /\*\*Training:\*\* succeeded in /);
    assert.match(readFileSync(join(dir, 'card.md'), 'utf8'), /## Training\n/);

    writeFileSync(join(dir, 'not-a-record.json'), '{"schema": "cairn.metrics/v1"}');
    const refused = await evaluate('not-a-record.json');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /not-a-record\.json is not a valid cairn\.training\/v1 record/);
  });
});
