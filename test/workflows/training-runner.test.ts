/**
 * Where the example (and README.md) trains: its jobs that use actions/train pick their runner with an expression on
 * the repository variable CAIRN_TRAIN_RUNNER. Each one is evaluated here with GitHub's own expression
 * engine (@actions/expressions) for the events that start it: the GPU runner when the variable names
 * it, a GitHub-hosted runner otherwise, and never a self-hosted runner for a fork's pull request.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { parse as parseYaml } from 'yaml';
import { docWorkflows, read, workflowFiles } from './workflow-files.ts';

interface Job {
  'runs-on'?: unknown;
  steps?: Array<{ uses?: string; with?: Record<string, unknown> }>;
}
interface Workflow {
  on?: unknown;
  jobs?: Record<string, Job>;
}

const GPU_LABELS = '["self-hosted", "gpu"]';

function toData(value: unknown): data.ExpressionData {
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (Array.isArray(value)) {
    const array = new data.Array();
    for (const item of value) array.add(toData(item));
    return array;
  }
  if (typeof value === 'object' && value !== null) {
    const dictionary = new data.Dictionary();
    for (const [key, item] of Object.entries(value)) dictionary.add(key, toData(item));
    return dictionary;
  }
  return new data.Null();
}

function fromData(value: data.ExpressionData): unknown {
  if (value instanceof data.Array) return value.values().map(fromData);
  if (value instanceof data.StringData) return value.value;
  return value.primitive ? value.coerceString() : value;
}

/** `runs-on` as GitHub resolves it for `github`, `vars` and a called workflow's `inputs`: a label or a list of labels. */
function resolveRunsOn(
  runsOn: unknown,
  github: object,
  vars: Record<string, string>,
  inputs: Record<string, string> = {},
): unknown {
  if (typeof runsOn !== 'string') return runsOn;
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(runsOn.trim());
  if (!whole) return runsOn;
  const lexed = new Lexer(whole[1]).lex();
  const expression = new Parser(lexed.tokens, ['github', 'vars', 'inputs'], []).parse();
  const context = new data.Dictionary();
  context.add('github', toData(github));
  context.add('vars', toData(vars));
  context.add('inputs', toData(inputs));
  return fromData(new Evaluator(expression, context, undefined).evaluate());
}

const isSelfHosted = (labels: unknown) => [labels].flat().includes('self-hosted');

const everyWorkflow = [
  ...workflowFiles().map((file) => ({ where: file, content: read(file) })),
  ...docWorkflows().map(({ where, content }) => ({ where: where.split(':')[0], content })),
];

const allTrainingJobs = everyWorkflow.flatMap(({ where: file, content }) => {
  const workflow = parseYaml(content) as Workflow;
  return Object.entries(workflow.jobs ?? {})
    .filter(([, job]) => job.steps?.some((step) => step.uses?.startsWith('cairn-ml/cairn/actions/train@')))
    .map(([name, job]) => ({ where: `${file} (${name})`, job, events: eventsOf(workflow.on) }));
});

// A reusable workflow's runner comes from its caller's inputs; those are checked apart, below.
const trainingJobs = allTrainingJobs.filter(({ events }) => !events.includes('workflow_call'));
const calledTrainingJobs = allTrainingJobs.filter(({ events }) => events.includes('workflow_call'));

function eventsOf(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys((on as object | undefined) ?? {});
}

const REPOSITORY = 'acme/churn';
const pullRequest = (headRepo: string) => ({
  repository: REPOSITORY,
  event_name: 'pull_request',
  event: { pull_request: { head: { repo: { full_name: headRepo } } } },
});
const push = { repository: REPOSITORY, event_name: 'push', event: {} };

describe('where the example trains (runs-on of the jobs that use actions/train)', () => {
  test("the example's pull-request, main-branch and release workflows and README.md's train through actions/train", () => {
    assert.deepEqual(
      trainingJobs.map(({ where }) => where),
      [
        'examples/churn/.github/workflows/pr.yml (churn)',
        'examples/churn/.github/workflows/record-main.yml (churn)',
        'examples/churn/.github/workflows/release-model.yml (churn)',
        'README.md (train)',
      ],
    );
  });

  for (const { where, job, events } of trainingJobs) {
    const github = events.includes('pull_request') ? pullRequest(REPOSITORY) : push;
    test(`${where}: [self-hosted, gpu] when CAIRN_TRAIN_RUNNER says so, ubuntu-latest without it`, () => {
      assert.deepEqual(resolveRunsOn(job['runs-on'], github, { CAIRN_TRAIN_RUNNER: GPU_LABELS }), [
        'self-hosted',
        'gpu',
      ]);
      assert.equal(resolveRunsOn(job['runs-on'], github, {}), 'ubuntu-latest');
    });

    if (events.some((event) => event.startsWith('pull_request')))
      test(`${where}: a fork's pull request never runs on the self-hosted runner`, () => {
        for (const fork of ['someone/churn', 'acme-fork/churn', ''])
          assert.equal(
            resolveRunsOn(job['runs-on'], pullRequest(fork), { CAIRN_TRAIN_RUNNER: GPU_LABELS }),
            'ubuntu-latest',
            `head repository "${fork}"`,
          );
      });
    else
      test(`${where}: starts on no pull_request event (no fork's code reaches the self-hosted runner)`, () => {
        assert.deepEqual(
          events.filter((event) => /pull_request|workflow_run|issue_comment/.test(event)),
          [],
          'this job can take a self-hosted runner without a fork guard',
        );
        assert.ok(isSelfHosted(resolveRunsOn(job['runs-on'], push, { CAIRN_TRAIN_RUNNER: GPU_LABELS })));
      });
  }
});

describe("the reusable retraining workflow's training job runs where its caller says, never a fork's code on self-hosted", () => {
  test('is .github/workflows/retrain.yml (train)', () => {
    assert.deepEqual(
      calledTrainingJobs.map(({ where }) => where),
      ['.github/workflows/retrain.yml (train)'],
    );
  });

  for (const { where, job } of calledTrainingJobs) {
    test(`${where}: the gpu-runner input's labels, for a schedule and a pull request from the repository itself`, () => {
      for (const github of [{ ...push, event_name: 'schedule' }, pullRequest(REPOSITORY)]) {
        assert.deepEqual(resolveRunsOn(job['runs-on'], github, {}, { 'gpu-runner': GPU_LABELS }), [
          'self-hosted',
          'gpu',
        ]);
        assert.equal(resolveRunsOn(job['runs-on'], github, {}, { 'gpu-runner': '"ubuntu-latest"' }), 'ubuntu-latest');
      }
    });

    test(`${where}: called from a fork's pull request, ubuntu-latest whatever gpu-runner says`, () => {
      for (const fork of ['someone/churn', ''])
        assert.equal(
          resolveRunsOn(job['runs-on'], pullRequest(fork), {}, { 'gpu-runner': GPU_LABELS }),
          'ubuntu-latest',
          `head repository "${fork}"`,
        );
    });
  }
});
