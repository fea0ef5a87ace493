/**
 * The retraining workflow's CLI calls against a real registry (git tags in a temp repository) and a
 * file:// store: `cairn challenge --champion churn#production`, `cairn pull --training-data
 * churn#production`, and the bad-input table of both.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sha256File } from '../../core/data/index.ts';
import { challengeDecisionSchema, trainingRecordSchema } from '../../core/metrics/index.ts';
import { FileStore } from '../../core/store/index.ts';
import { fixture } from '../core/evaluate/fixture-paths.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { productionModel, type ProductionModel } from '../support/production-model.ts';
import { assertCliRefusal, listTree } from '../support/refusals.ts';

const DATA = fixture('binary.csv');
let made: ProductionModel;
let remote: string;
let cache: string;

before(async () => {
  const dir = tempDir();
  const storeDir = join(dir, 'store');
  made = await productionModel(new FileStore(storeDir), join(dir, 'made'));
  remote = pathToFileURL(storeDir).href;
  cache = join(dir, 'cache');
});

function cli(args: string[], cwd = tempDir()) {
  return runCli(args, { cwd, env: { CAIRN_CACHE_DIR: cache } });
}

const challengeArgs = (champion: string, challenger: string) => [
  'challenge',
  '--champion',
  champion,
  '--challenger',
  challenger,
  '--data',
  DATA,
  '--target',
  'churned',
  '--metric',
  'roc_auc',
  '--bootstrap',
  '200',
];

describe('cairn challenge with registry references', () => {
  test('--champion churn#production: the stage holder v1.0.0 from the tags, its bytes from the store, verified', async () => {
    const result = await cli([
      ...challengeArgs('churn#production', fixture('binary.onnx')),
      '--repo',
      made.repo.dir,
      '--remote',
      remote,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const decision = challengeDecisionSchema.parse(JSON.parse(result.stdout));
    assert.deepEqual(decision.champion.registry, { name: 'churn', version: 'v1.0.0', stage: 'production' });
    assert.equal(decision.champion.sha256, await sha256File(made.production));
    assert.ok(decision.champion.path.startsWith(cache), decision.champion.path);
    assert.equal(decision.challenger.registry, undefined);
    assert.equal(decision.decision, 'promote');
  });

  test('both sides from the registry, one by version; run from inside the repository, --repo is not needed', async () => {
    const result = await cli([...challengeArgs('churn#production', 'churn@v1.1.0'), '--remote', remote], made.repo.dir);
    assert.equal(result.code, 0, result.stderr);
    const decision = challengeDecisionSchema.parse(JSON.parse(result.stdout));
    assert.deepEqual(decision.challenger.registry, { name: 'churn', version: 'v1.1.0' });
    assert.equal(decision.challenger.sha256, await sha256File(made.next));
  });
});

describe('cairn pull --training-data', () => {
  test("puts the production model's training data at its recorded path under --out, and its record at --record-out", async () => {
    const cwd = tempDir();
    const result = await cli(
      [
        'pull',
        '--training-data',
        'churn#production',
        '--repo',
        made.repo.dir,
        '--remote',
        remote,
        '--out',
        'reference',
        '--record-out',
        'training.json',
        '--json',
      ],
      cwd,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readFileSync(join(cwd, 'reference', 'data', 'train.csv')), readFileSync(made.trainingData));
    assert.deepEqual(
      trainingRecordSchema.parse(JSON.parse(readFileSync(join(cwd, 'training.json'), 'utf8'))),
      made.record,
    );
    const summary = JSON.parse(result.stdout) as { model: object; files: number };
    assert.deepEqual(summary.model, {
      name: 'churn',
      version: 'v1.0.0',
      stage: 'production',
      sha256: await sha256File(made.production),
    });
    assert.equal(summary.files, 1);
    assert.deepEqual(listTree(cwd), ['reference/', 'reference/data/', 'reference/data/train.csv', 'training.json']);
  });
});

describe('bad input is refused (exit 2), with what to change, and nothing is written', () => {
  const cases: Array<{ label: string; args: () => string[]; message: RegExp; cwd?: () => string }> = [
    {
      label: 'no --champion',
      args: () => ['challenge', '--challenger', 'b.onnx', '--data', DATA, '--target', 'churned', '--metric', 'f1'],
      message: /--champion is required/,
    },
    { label: 'no --metric', args: () => challengeArgs('a', 'b').slice(0, -4), message: /--metric is required/ },
    {
      label: 'an unknown option',
      args: () => [...challengeArgs('a', 'b'), '--gate', 'f1>0'],
      message: /Unknown option '--gate'[\s\S]*cairn challenge --help/,
    },
    {
      label: 'an unknown metric',
      args: () => [
        ...challengeArgs(fixture('binary_weak.onnx'), fixture('binary.onnx')).slice(0, -4),
        '--metric',
        'auc',
      ],
      message: /--metric auc is not a metric Cairn computes; use one of: accuracy/,
    },
    {
      label: 'an unknown metric, before the registry is read (churn#staging has no holder)',
      args: () => [
        ...challengeArgs('churn#staging', 'churn@v1.1.0').slice(0, -4),
        '--metric',
        'auc',
        '--repo',
        made.repo.dir,
        '--remote',
        remote,
      ],
      message: /--metric auc is not a metric Cairn computes/,
    },
    {
      label: 'a metric the task does not compute',
      args: () => [
        ...challengeArgs(fixture('binary_weak.onnx'), fixture('binary.onnx')).slice(0, -4),
        '--metric',
        'mae',
      ],
      message: /mae is not computed for binary models/,
    },
    {
      label: 'a negative --min-improvement',
      args: () => [...challengeArgs('a', 'b'), '--min-improvement=-0.01'],
      message: /--min-improvement -0\.01: give a number >= 0/,
    },
    {
      label: '--bootstrap 0',
      args: () => [...challengeArgs('a', 'b').slice(0, -2), '--bootstrap', '0'],
      message: /--bootstrap/,
    },
    {
      label: 'a --bootstrap no run could finish',
      args: () => [...challengeArgs('a', 'b').slice(0, -2), '--bootstrap', '1e300'],
      message: /--bootstrap must be a whole number of resamples from 1 to 100,000, got 1e\+300/,
    },
    {
      label: 'a mistyped model path with an @ in it',
      args: () => challengeArgs('models/churn@v1.onnx', fixture('binary.onnx')),
      message: /--champion models\/churn@v1\.onnx: no such model file, and not a registry reference \(NAME#STAGE/,
    },
    {
      label: '--out naming the --data it reads',
      args: () => {
        const copy = join(tempDir(), 'eval.csv');
        copyFileSync(DATA, copy);
        const args = challengeArgs(fixture('binary.onnx'), fixture('binary.onnx')).map((arg) =>
          arg === DATA ? copy : arg,
        );
        return [...args, '--out', copy];
      },
      message: /--out .*eval\.csv is also --data .*eval\.csv: writing there would replace what the command reads/,
    },
    {
      label: 'a fractional --seed',
      args: () => [...challengeArgs('a', 'b'), '--seed', '1.5'],
      message: /--seed 1\.5: give a whole number/,
    },
    {
      label: 'a champion that is neither a file nor a reference',
      args: () => challengeArgs('missing.onnx', fixture('binary.onnx')),
      message: /--champion missing\.onnx: no such model file, and not a registry reference \(NAME#STAGE/,
    },
    {
      label: 'NAME#STAGE with no holder',
      args: () => [
        ...challengeArgs('churn#staging', fixture('binary.onnx')),
        '--repo',
        made.repo.dir,
        '--remote',
        remote,
      ],
      message: /no version of churn holds the stage "staging"/,
    },
    {
      label: 'NAME#STAGE outside a git repository',
      args: () => [...challengeArgs('churn#production', fixture('binary.onnx')), '--remote', remote],
      message: /is not a git repository; run this inside one or pass --repo DIR/,
    },
    {
      label: 'models of different tasks',
      args: () => challengeArgs(fixture('binary.onnx'), fixture('binary_3_classes.onnx')),
      message: /the champion was evaluated as a binary model and the challenger as multiclass/,
    },
    {
      label: 'models of different class sets',
      args: () => [
        ...challengeArgs(fixture('binary.onnx'), fixture('binary_3_classes.onnx')).slice(0, -4),
        '--metric',
        'accuracy',
        '--task',
        'multiclass',
      ],
      message: /the champion's classes \[0, 1\] are not the challenger's \[0, 1, 2\]/,
    },
    {
      label: '--out is a folder',
      args: () => [...challengeArgs('a', 'b'), '--out', 'folder'],
      message: /--out folder is a folder/,
      cwd: () => {
        const dir = tempDir();
        mkdirSync(join(dir, 'folder'));
        return dir;
      },
    },
    {
      label: 'pull --training-data without --out',
      args: () => ['pull', '--training-data', 'churn#production', '--repo', made.repo.dir, '--remote', remote],
      message: /--training-data needs --out DIR/,
    },
    {
      label: 'pull --training-data with --record-out where the data goes',
      args: () => [
        'pull',
        '--training-data',
        'churn#production',
        '--repo',
        made.repo.dir,
        '--remote',
        remote,
        '--out',
        'ref',
        '--record-out',
        'ref/data/train.csv',
      ],
      message: /--record-out ref\/data\/train\.csv is where the training data data\/train\.csv goes under --out ref/,
    },
    {
      label: 'pull --training-data with a target',
      args: () => ['pull', 'data.dvc', '--training-data', 'churn#production', '--out', 'x'],
      message: /--training-data pulls a model's training data, not TARGETs; drop data\.dvc/,
    },
    {
      label: 'pull --out without --training-data',
      args: () => ['pull', 'data.dvc', '--out', 'x'],
      message: /--out goes with --training-data NAME#STAGE/,
    },
    {
      label: 'pull --training-data that is not a reference',
      args: () => ['pull', '--training-data', 'model.onnx', '--out', 'x'],
      message: /--training-data model\.onnx: name a registry model as NAME#STAGE/,
    },
    {
      label: 'pull the training data of a model with no training record',
      args: () => [
        'pull',
        '--training-data',
        'churn@v1.1.0',
        '--repo',
        made.repo.dir,
        '--remote',
        remote,
        '--out',
        'x',
      ],
      message: /churn v1\.1\.0 has no training record beside its bytes/,
    },
  ];
  for (const { label, args, message, cwd: makeCwd } of cases) {
    test(label, async () => {
      const cwd = makeCwd?.() ?? tempDir();
      const before = listTree(cwd);
      assertCliRefusal(await cli(args(), cwd), { message }, label);
      assert.deepEqual(listTree(cwd), before, `${label}: nothing written`);
    });
  }
});
