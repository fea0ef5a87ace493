import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderActionDocs, updateReadme } from '../../scripts/action-docs.ts';

const script = resolve(import.meta.dirname, '../../scripts/action-docs.ts');

function docs(root: string, mode: '--check' | '--write') {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, mode, '--root', root], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

const SETUP_ACTION = `name: Set up Cairn
description: Put cairn on PATH.
outputs:
  version:
    description: CLI version.
runs:
  using: node24
  main: dist/setup.js
`;

const EVALUATE_ACTION = `name: Cairn evaluate
description: Evaluate a model.
inputs:
  model:
    description: Path to the ONNX model.
    required: true
  gate:
    description: Rules such as \`f1>=0.8 | note\`.
  device:
    description: |
      auto, cpu or cuda.
      auto picks CUDA when it can.
    default: auto
outputs:
  metrics-path:
    description: Where metrics.json went.
runs:
  using: node24
  main: ../../dist/evaluate.js
`;

const README = `# Cairn

Intro text that the generator must not touch.

## Setup
<!-- action-docs:setup:start -->
old setup text
<!-- action-docs:setup:end -->

## Evaluate
<!-- action-docs:evaluate:start -->
<!-- action-docs:evaluate:end -->

Closing text.
`;

describe('scripts/action-docs.ts on a temporary repository', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cairn-action-docs-'));
    mkdirSync(join(root, 'actions/evaluate'), { recursive: true });
    writeFileSync(join(root, 'action.yml'), SETUP_ACTION);
    writeFileSync(join(root, 'actions/evaluate/action.yml'), EVALUATE_ACTION);
    writeFileSync(join(root, 'README.md'), README);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('--check names each stale section and exits 1 without writing', () => {
    const result = docs(root, '--check');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /section "setup" is stale/);
    assert.match(result.stderr, /section "evaluate" is stale/);
    assert.equal(readFileSync(join(root, 'README.md'), 'utf8'), README);
  });

  test('--write fills the sections from action.yml, leaves other text alone, and --check then passes', () => {
    assert.equal(docs(root, '--write').status, 0);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.ok(readme.startsWith('# Cairn\n\nIntro text that the generator must not touch.\n'));
    assert.ok(readme.endsWith('<!-- action-docs:evaluate:end -->\n\nClosing text.\n'));
    assert.doesNotMatch(readme, /old setup text/);
    assert.match(readme, /`uses: cairn-ml\/cairn@v1`/);
    assert.match(readme, /`uses: cairn-ml\/cairn\/actions\/evaluate@v1`/);
    assert.match(readme, /^\| `model` \| Path to the ONNX model\. \| yes \| +\|$/m);
    // A pipe in a description is escaped and a multi-line description stays in its row.
    assert.match(readme, /^\| `gate` \| Rules such as `f1>=0\.8 \\\| note`\. \| no \| +\|$/m);
    assert.match(readme, /^\| `device` \| auto, cpu or cuda\.<br>auto picks CUDA when it can\. \| no \| `auto` \|$/m);
    assert.match(readme, /^\| `metrics-path` \| Where metrics\.json went\. \|$/m);
    assert.match(readme, /^\| `version` \| CLI version\. \|$/m);

    const check = docs(root, '--check');
    assert.equal(check.status, 0, check.stderr);
  });

  test('an input added to action.yml makes the section stale again', () => {
    assert.equal(docs(root, '--write').status, 0);
    writeFileSync(
      join(root, 'actions/evaluate/action.yml'),
      EVALUATE_ACTION.replace('inputs:\n', 'inputs:\n  target:\n    description: Label column.\n    required: true\n'),
    );
    const check = docs(root, '--check');
    assert.equal(check.status, 1);
    assert.match(check.stderr, /section "evaluate" is stale/);
    assert.doesNotMatch(check.stderr, /section "setup"/);
  });

  test('an action without markers, or markers without an action, fails even --write', () => {
    mkdirSync(join(root, 'actions/report'));
    writeFileSync(
      join(root, 'actions/report/action.yml'),
      'name: r\ndescription: d\nruns:\n  using: node24\n  main: x.js\n',
    );
    writeFileSync(
      join(root, 'README.md'),
      `${README}\n<!-- action-docs:drift:start -->\n<!-- action-docs:drift:end -->\n`,
    );
    const result = docs(root, '--write');
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /no section for action "report"; add the lines <!-- action-docs:report:start --> and <!-- action-docs:report:end -->/,
    );
    assert.match(result.stderr, /section "drift" names no action/);
  });

  test('an action.yml that is not valid YAML is named, and nothing is written', () => {
    // GitHub rejects this too: an unquoted ": " inside a plain scalar starts a nested mapping.
    writeFileSync(
      join(root, 'actions/evaluate/action.yml'),
      EVALUATE_ACTION.replace('Evaluate a model.', 'Writes the `cairn: <model>` check run.'),
    );
    const result = docs(root, '--write');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /actions\/evaluate\/action\.yml: .*line 2/);
    assert.equal(readFileSync(join(root, 'README.md'), 'utf8'), README);
  });

  test('without --write or --check it is a usage error', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', script, '--root', root], { encoding: 'utf8' });
    assert.equal(result.status, 2);
  });
});

describe('updateReadme', () => {
  test('keeps CRLF line endings in a CRLF README', () => {
    const readme = 'a\r\n<!-- action-docs:x:start -->\r\n<!-- action-docs:x:end -->\r\nb\r\n';
    const { text, stale } = updateReadme(
      readme,
      new Map([['x', renderActionDocs({ description: 'd', outputs: { o: { description: 'out' } } }, 'o/r@v1')]]),
    );
    assert.deepEqual(stale, ['x']);
    assert.doesNotMatch(text.replaceAll('\r\n', ''), /\n/);
    assert.deepEqual(
      updateReadme(
        text,
        new Map([['x', renderActionDocs({ description: 'd', outputs: { o: { description: 'out' } } }, 'o/r@v1')]]),
      ).stale,
      [],
    );
  });
});

describe("this repository's README", () => {
  test("has every action's inputs/outputs table up to date with its action.yml (run `npm run docs` to fix)", async () => {
    const { generateSections } = await import('../../scripts/action-docs.ts');
    const root = resolve(import.meta.dirname, '../..');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const sections = await generateSections(root);
    assert.deepEqual([...sections.keys()].sort(), [
      'data-pull',
      'deploy',
      'drift',
      'evaluate',
      'propose',
      'registry',
      'report',
      'setup',
      'train',
    ]);
    assert.equal(updateReadme(readme, sections).text, readme);
  });
});
