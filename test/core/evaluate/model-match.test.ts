import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRepoConfig } from '../../../core/config/parse.ts';
import { matchModel } from '../../../core/evaluate/internal/model-match.ts';
import { actionInput, cliOption } from '../../../core/option-names.ts';
import { repositoryRoot } from '../../../core/repository-root.ts';

const ROOT = '/repo';
const config = (yaml: string) => parseRepoConfig(yaml, '.github/cairn.yml');
const TWO = config(
  'models:\n  churn:\n    path: models/churn.onnx\n    gates:\n      default: f1>=0.6\n  upsell:\n    path: models/upsell.onnx\n',
);

describe('matchModel: which models.<m> entry an evaluation is for', () => {
  test('a given name decides, even against a path match', () => {
    const match = matchModel(TWO, {
      name: 'upsell',
      modelPath: '/repo/models/churn.onnx',
      repositoryRoot: ROOT,
      spell: cliOption,
    });
    assert.equal(match.name, 'upsell');
    assert.equal(match.warning, undefined);
  });

  test('a given name that is not in the config warns when another model has a gate', () => {
    const match = matchModel(TWO, {
      name: 'churn-v2',
      modelPath: '/repo/models/churn.onnx',
      repositoryRoot: ROOT,
      spell: actionInput,
    });
    assert.equal(match.model, undefined);
    assert.match(
      match.warning ?? '',
      /^name: "churn-v2" names no model in the config, so the gate configured for models\.churn was not applied; pass name: churn/,
    );
  });

  test('without a name, the path relative to the repository root matches', () => {
    const match = matchModel(TWO, { modelPath: '/repo/models/upsell.onnx', repositoryRoot: ROOT, spell: cliOption });
    assert.equal(match.name, 'upsell');
    assert.match(match.because ?? '', /path models\/upsell\.onnx/);
  });

  test('without a name or a path match, an entry named like the file matches', () => {
    assert.equal(
      matchModel(TWO, { modelPath: '/elsewhere/churn.onnx', repositoryRoot: ROOT, spell: cliOption }).model?.path,
      'models/churn.onnx',
    );
  });

  test('two entries with the evaluated path match neither, and the warning says so', () => {
    const same = config(
      'models:\n  a:\n    path: m.onnx\n    gates:\n      default: f1>=0.6\n  b:\n    path: ./m.onnx\n',
    );
    const match = matchModel(same, { modelPath: '/repo/m.onnx', repositoryRoot: ROOT, spell: cliOption });
    assert.equal(match.model, undefined);
    assert.match(match.warning ?? '', /a, b all have the path of \/repo\/m\.onnx.*--name a/);
  });

  test('no warning when no entry has a gate', () => {
    const ungated = config('models:\n  a:\n    path: a.onnx\n  b:\n    path: b.onnx\n');
    assert.equal(
      matchModel(ungated, { modelPath: '/repo/c.onnx', repositoryRoot: ROOT, spell: cliOption }).warning,
      undefined,
    );
  });
});

describe('repositoryRoot', () => {
  test('is the folder holding .git above the working folder, or the folder itself outside a repository', () => {
    const root = mkdtempSync(join(tmpdir(), 'cairn-root-'));
    const plain = mkdtempSync(join(tmpdir(), 'cairn-plain-'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    assert.equal(repositoryRoot(join(root, 'a', 'b')), root);
    assert.equal(repositoryRoot(plain), plain);
  });
});
