/**
 * What starts the workflows we ship and show: tag filters that let a monorepo model's registry tags
 * through, and the fork hand-off's `workflow_run`, which names the pull-request workflow by its exact
 * `name:` (GitHub matches the name, so a rename on one side silently stops the hand-off).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { docWorkflows, read, workflowFiles } from './workflow-files.ts';

interface Workflow {
  name?: string;
  on?: { push?: { tags?: string[] }; workflow_run?: { workflows?: string[] } } | string | string[];
}

/**
 * A filter pattern as GitHub reads one (docs: "Filter pattern cheat sheet"): `*` is any run of
 * characters but `/`, `**` any run at all, `?` and `+` make the previous character optional or
 * repeated, `[...]` is a character class, `\\` escapes.
 */
function filterPattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?' || char === '+') source += char;
    else if (char === '[') {
      const end = pattern.indexOf(']', i);
      source += pattern.slice(i, end + 1);
      i = end;
    } else if (char === '\\') source += `\\${pattern[++i]}`;
    else source += char.replace(/[.^$|(){}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** GitHub's reading of a filter list: later `!` patterns take back what earlier ones matched. */
function filtersMatch(patterns: readonly string[], ref: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (filterPattern(pattern.slice(1)).test(ref)) matched = false;
    } else if (filterPattern(pattern).test(ref)) matched = true;
  }
  return matched;
}

const everyWorkflow = [
  ...workflowFiles().map((file) => ({ where: file, workflow: parseYaml(read(file)) as Workflow })),
  ...docWorkflows().map(({ where, content }) => ({ where, workflow: parseYaml(content) as Workflow })),
];

function onObject(workflow: Workflow) {
  return typeof workflow.on === 'object' && !Array.isArray(workflow.on) ? workflow.on : {};
}

describe('GitHub filter patterns, as this test reads them', () => {
  test("'*' stops at '/', '**' does not; '!' takes back", () => {
    assert.equal(filtersMatch(['*'], 'churn@v1.0.0'), true);
    assert.equal(filtersMatch(['*'], 'models/churn@v1.0.0'), false);
    assert.equal(filtersMatch(['**'], 'models/churn=churn#production#1'), true);
    assert.equal(filtersMatch(['v*.*.*'], 'v1.4.0'), true);
    assert.equal(filtersMatch(['v[12].*'], 'v3.0'), false);
    assert.equal(filtersMatch(['**', '!*@deprecated'], 'churn@deprecated'), false);
  });
});

describe('tag filters', () => {
  // Registry tags of two unrelated models: a filter that takes both is meant for every model's tags.
  const anyModel = ['churn@v1.0.0', 'fraud#production#3'];
  // GTO's tags for a model in a folder: a name with '/' (models/churn), and the monorepo form dir=name.
  const inFolders = [
    'models/churn@v1.0.0',
    'models/churn#production#1',
    'models/churn=churn@v1.0.0',
    'models/churn=churn#staging!#2',
  ];
  const tagged = everyWorkflow.filter(({ workflow }) => onObject(workflow).push?.tags);

  test('are found: the registry workflows of the example and of README.md', () => {
    const wheres = tagged.map(({ where }) => where);
    assert.ok(wheres.includes('examples/churn/.github/workflows/registry.yml'), wheres.join(', '));
    assert.ok(
      wheres.some((where) => where.startsWith('README.md:')),
      wheres.join(', '),
    );
  });

  for (const { where, workflow } of tagged) {
    const patterns = onObject(workflow).push!.tags!;
    test(`${where}: tags ${JSON.stringify(patterns)} that take any model's registry tags take a model's in a folder too`, () => {
      if (!anyModel.every((tag) => filtersMatch(patterns, tag))) return; // a model's own (churn@v*) or Cairn's release tags (v*.*.*)
      for (const tag of inFolders)
        assert.ok(filtersMatch(patterns, tag), `${tag} would not start ${where}: use '**', not '*'`);
    });
  }
});

describe('the fork hand-off (workflow_run)', () => {
  const handoffs = everyWorkflow.filter(({ workflow }) => onObject(workflow).workflow_run);

  test('is found in the example', () => {
    assert.deepEqual(
      handoffs.map(({ where }) => where),
      ['examples/churn/.github/workflows/pr-report-from-fork.yml'],
    );
  });

  for (const { where, workflow } of handoffs) {
    test(`${where} names, by their exact name:, workflows beside it`, () => {
      const named = onObject(workflow).workflow_run!.workflows ?? [];
      assert.ok(named.length > 0, 'workflow_run without workflows: it would never run');
      const beside = everyWorkflow
        .filter((other) => !other.where.includes(':') && dirname(other.where) === dirname(where))
        .map((other) => other.workflow.name);
      for (const name of named)
        assert.ok(
          beside.includes(name),
          `no workflow beside ${where} is named "${name}" (names: ${beside.join(', ')})`,
        );
    });
  }

  test("README.md's quickstart workflow has the name the example's hand-off names", () => {
    const quickstart = everyWorkflow.find(
      ({ where, workflow }) => where.startsWith('README.md:') && JSON.stringify(workflow.on) === '"pull_request"',
    );
    assert.ok(quickstart, 'no pull_request workflow in README.md');
    const handoff = parseYaml(read('examples/churn/.github/workflows/pr-report-from-fork.yml')) as Workflow;
    assert.deepEqual(onObject(handoff).workflow_run?.workflows, [quickstart.workflow.name]);
  });
});
