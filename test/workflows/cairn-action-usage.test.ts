import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { read, workflowFiles } from './workflow-files.ts';

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface ActionYaml {
  inputs?: Record<string, { required?: boolean; default?: unknown } | null>;
  outputs?: Record<string, unknown>;
}

const OWN_ACTION = /^cairn-ml\/cairn(?:\/(.+?))?@.+$/;

/** `cairn-ml/cairn@v1` -> `action.yml`; `cairn-ml/cairn/actions/evaluate@v1` -> `actions/evaluate/action.yml`. */
function actionPath(uses: string): string | undefined {
  const match = OWN_ACTION.exec(uses);
  if (!match) return undefined;
  return match[1] ? `${match[1]}/action.yml` : 'action.yml';
}

function steps(file: string): Step[] {
  const workflow = parseYaml(read(file)) as { jobs?: Record<string, { steps?: Step[] }> };
  return Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []);
}

// Workflows that use Cairn's own actions must use them as their action.yml defines them: a typo in
// an input name is silently ignored by the runner (only a warning), so nothing else would catch it.
describe("workflows use Cairn's actions as their action.yml defines them", () => {
  const users = workflowFiles().filter((file) => steps(file).some((step) => step.uses && actionPath(step.uses)));

  const usedBy = (files: string[]) =>
    new Set(
      files.flatMap((file) =>
        steps(file)
          .map((step) => step.uses && actionPath(step.uses))
          .filter(Boolean),
      ),
    );

  test('the reusable retraining workflow uses the setup, data-pull, drift, train, evaluate and propose actions', () => {
    assert.deepEqual([...usedBy(['.github/workflows/retrain.yml'])].sort(), [
      'action.yml',
      'actions/data-pull/action.yml',
      'actions/drift/action.yml',
      'actions/evaluate/action.yml',
      'actions/propose/action.yml',
      'actions/train/action.yml',
    ]);
  });

  test('the churn example uses the setup, train, evaluate, report, registry and deploy actions', () => {
    const used = usedBy(users.filter((file) => file.startsWith('examples/churn/')));
    assert.deepEqual([...used].sort(), [
      'action.yml',
      'actions/deploy/action.yml',
      'actions/evaluate/action.yml',
      'actions/registry/action.yml',
      'actions/report/action.yml',
      'actions/train/action.yml',
    ]);
  });

  for (const file of users) {
    test(file, () => {
      const byId = new Map<string, ActionYaml>();
      for (const step of steps(file)) {
        const path = step.uses && actionPath(step.uses);
        if (!path) continue;
        let action: ActionYaml;
        try {
          action = parseYaml(read(path)) as ActionYaml;
        } catch (error) {
          assert.fail(`${file}: ${step.uses} -> ${path}: ${(error as Error).message}`);
        }
        const inputs = action.inputs ?? {};
        for (const key of Object.keys(step.with ?? {})) {
          assert.ok(
            Object.hasOwn(inputs, key),
            `${file}: ${step.uses} has no input "${key}" (inputs: ${Object.keys(inputs).join(', ')})`,
          );
        }
        for (const [key, input] of Object.entries(inputs)) {
          if (input?.required && input.default === undefined) {
            assert.ok(Object.hasOwn(step.with ?? {}, key), `${file}: ${step.uses} needs input "${key}"`);
          }
        }
        if (step.id) byId.set(step.id, action);
      }
      // steps.<id>.outputs.<name> must name an output the action declares.
      for (const [, id, output] of read(file).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const action = byId.get(id);
        if (!action) continue;
        assert.ok(Object.hasOwn(action.outputs ?? {}, output), `${file}: step "${id}" has no output "${output}"`);
      }
    });
  }
});

const OWN_WORKFLOW = /^cairn-ml\/cairn\/(\.github\/workflows\/[^@]+)@.+$/;

interface CalledWorkflow {
  on?: {
    workflow_call?: {
      inputs?: Record<string, { required?: boolean; default?: unknown }>;
      secrets?: Record<string, { required?: boolean }>;
    };
  };
}

// A job that calls Cairn's reusable workflow gets its inputs checked as a step's are: an unknown
// input fails the caller's run only when it starts, on GitHub, not before.
describe("workflows call Cairn's reusable workflows with the inputs and secrets they define", () => {
  const calls = workflowFiles().flatMap((file) => {
    const workflow = parseYaml(read(file)) as {
      jobs?: Record<string, { uses?: string; with?: Record<string, unknown>; secrets?: unknown }>;
    };
    return Object.entries(workflow.jobs ?? {})
      .filter(([, job]) => job.uses && OWN_WORKFLOW.test(job.uses))
      .map(([name, job]) => ({ where: `${file} (${name})`, job }));
  });

  test('the churn example calls the retraining workflow', () => {
    assert.deepEqual(
      calls.map(({ where }) => where),
      ['examples/churn/.github/workflows/retrain-schedule.yml (churn)'],
    );
  });

  for (const { where, job } of calls) {
    test(where, () => {
      const path = OWN_WORKFLOW.exec(job.uses!)![1];
      const called = (parseYaml(read(path)) as CalledWorkflow).on?.workflow_call;
      assert.ok(called, `${path} is not a reusable workflow (no on.workflow_call)`);
      const inputs = called.inputs ?? {};
      for (const key of Object.keys(job.with ?? {}))
        assert.ok(Object.hasOwn(inputs, key), `${where}: ${path} has no input "${key}"`);
      for (const [key, input] of Object.entries(inputs))
        if (input.required && input.default === undefined)
          assert.ok(Object.hasOwn(job.with ?? {}, key), `${where}: ${path} needs input "${key}"`);
      const secrets = job.secrets === 'inherit' ? undefined : ((job.secrets ?? {}) as Record<string, unknown>);
      for (const key of Object.keys(secrets ?? {}))
        assert.ok(Object.hasOwn(called.secrets ?? {}, key), `${where}: ${path} has no secret "${key}"`);
    });
  }
});
