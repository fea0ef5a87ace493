/**
 * The example workflows ship only evaluated bytes: every `cairn push --model` pushes the file an
 * actions/evaluate step of the same job evaluated (and a report step records), and every job that
 * runs actions/deploy may read the evaluation record it checks the file against.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { read, workflowFiles } from './workflow-files.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  steps?: Step[];
}

const examples = workflowFiles().filter((file) => file.startsWith('examples/'));
const jobs = examples.flatMap((file) =>
  Object.entries((parseYaml(read(file)) as { jobs: Record<string, Job> }).jobs).map(([name, job]) => ({
    where: `${file} job ${name}`,
    job,
  })),
);
const uses = (step: Step, action: string) => step.uses?.startsWith(`cairn-ml/cairn/actions/${action}@`) === true;

describe('example workflows: the deployed bytes are the evaluated bytes', () => {
  const pushing = jobs.filter(({ job }) => job.steps?.some((step) => /\bcairn push\b.*--model\b/.test(step.run ?? '')));

  test('some example pushes a model version', () => {
    assert.ok(pushing.length > 0, 'no example runs cairn push --model');
  });

  for (const { where, job } of pushing) {
    test(`${where} pushes the very file it evaluates and records`, () => {
      const steps = job.steps ?? [];
      const push = steps.find((step) => /\bcairn push\b.*--model\b/.test(step.run ?? ''))!;
      const file = /cairn push\s+(\S+)/.exec(push.run!)![1];
      const evaluate = steps.find((step) => uses(step, 'evaluate'));
      assert.ok(evaluate, 'no actions/evaluate step in the job that pushes');
      assert.equal(evaluate.with?.model, file, 'the pushed file is not the evaluated one');
      assert.ok(steps.indexOf(evaluate) < steps.indexOf(push), 'pushed before it was evaluated');
      assert.ok(
        steps.some((step) => uses(step, 'report') && step.with?.check !== false),
        'the evaluation is not recorded as a check run',
      );
    });
  }

  const deploying = jobs.filter(({ job }) => job.steps?.some((step) => uses(step, 'deploy')));
  for (const { where, job } of deploying) {
    test(`${where} may read the evaluation record (checks: read)`, () => {
      assert.ok(
        ['read', 'write'].includes(job.permissions?.checks ?? ''),
        'actions/deploy needs checks: read for the record',
      );
    });
  }
});
