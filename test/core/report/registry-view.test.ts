import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { registryState, type AnnotatedTag } from '../../../core/registry/index.ts';
import {
  ISSUE_BODY_LIMIT,
  readDeploymentsSeen,
  recordDeployment,
  renderModelsTable,
  renderRegistryView,
  REGISTRY_ISSUE_MARKER,
} from '../../../core/report/registry-view.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const tag = (name: string, sha: string, minute: number, tagger = 'Ada Lovelace'): AnnotatedTag => ({
  tag: name,
  sha,
  taggedAt: `2024-01-01T00:${String(minute).padStart(2, '0')}:00Z`,
  tagger: { name: tagger, email: 'a@example.com' },
});

const state = registryState([
  tag('churn@v1.0.0', A, 1),
  tag('churn@v1.1.0', B, 2, '@everyone | ops'),
  tag('churn#production#1', A, 3),
  tag('churn#staging#2', B, 4),
  tag('fraud@v0.1.0', A, 5),
  tag('fraud@deprecated', A, 6),
]);

describe('renderRegistryView', () => {
  test('models × stages in the config order, versions, and history newest first', () => {
    const body = renderRegistryView({
      state,
      stages: ['staging', 'production'],
      repoUrl: 'https://github.com/acme/churn',
    });
    assert.ok(body.startsWith(`${REGISTRY_ISSUE_MARKER}\n`));
    assert.match(body, /\| model \| latest \| staging \| production \|/);
    assert.match(body, /\| `churn` \| `v1\.1\.0` \| `v1\.1\.0` \| `v1\.0\.0` \|/);
    assert.match(body, /\| `fraud` \(deprecated\) \| `v0\.1\.0` \| – \| – \|/);
    assert.match(
      body,
      /\| `v1\.0\.0` \| active \| production \| \[`aaaaaaa`\]\(https:\/\/github\.com\/acme\/churn\/commit\/a{40}\) \| \[`churn@v1\.0\.0`\]\(https:\/\/github\.com\/acme\/churn\/releases\/tag\/churn%40v1\.0\.0\) \|/,
    );
    const history = body.slice(body.indexOf('## Recent changes'));
    assert.ok(history.indexOf('fraud@deprecated') < history.indexOf('churn@v1.0.0'));
    // A tagger name neither pings anyone nor breaks the table.
    assert.match(body, /@\u200Beveryone \\\| ops/);
    assert.doesNotMatch(body, /@everyone/);
  });

  test('recent changes are the newest events of all models, same-second ties broken by tag, as a sort of the whole history gives', () => {
    const ties = registryState([
      tag('churn@v1.0.0', A, 1),
      tag('churn@v1.1.0', B, 2),
      tag('churn#staging#1', B, 4),
      tag('fraud@v0.1.0', A, 4),
      tag('fraud#staging#1', A, 4),
      tag('churn#production#1', A, 5),
    ]);
    const everything = Object.values(ties.models)
      .flatMap((m) => m.history)
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.tag.localeCompare(a.tag))
      .map((h) => h.tag);
    for (let limit = 0; limit <= everything.length + 1; limit++) {
      const body = renderRegistryView({ state: ties, historyLimit: limit });
      const section = body.includes('## Recent changes') ? body.slice(body.indexOf('## Recent changes')) : '';
      const listed = [...section.matchAll(/\| `([^`]*[@#][^`]*)` \|/g)].map((m) => m[1]);
      assert.deepEqual(listed, everything.slice(0, limit), `historyLimit ${limit}`);
    }
  });

  test('deployments survive a re-render through the hidden line, one per environment, even with "--" in a ref', () => {
    const first = recordDeployment([], {
      environment: 'prod',
      state: 'in_progress',
      ref: 'churn#production#1',
      sha: A,
      at: 't1',
    });
    const second = recordDeployment(first, {
      environment: 'prod',
      state: 'success',
      ref: 'x--y',
      sha: A,
      at: 't2',
      url: 'https://github.com/acme/churn/actions/runs/1',
    });
    const body = renderRegistryView({ state, deployments: second });
    assert.deepEqual(readDeploymentsSeen(body), second);
    assert.match(body, /\| prod \| ✅ success \| `x--y` \|/);
    assert.equal(
      body.split('\n').filter((line) => line.includes('-->')).length,
      2,
      'the hidden line is not ended early',
    );
    assert.deepEqual(readDeploymentsSeen('<!-- cairn:deployments [{"environment":1}] -->'), []);
    assert.deepEqual(readDeploymentsSeen('<!-- cairn:deployments not json -->'), []);
  });

  test('a model with hundreds of versions lists the highest ones and every stage holder, and the body fits an issue', () => {
    const tags: AnnotatedTag[] = [];
    for (let v = 0; v < 600; v++)
      tags.push({
        ...tag(`churn@v1.${v}.0`, v.toString(16).padStart(40, '0'), 0),
        taggedAt: new Date(Date.UTC(2024, 0, 1, 0, v)).toISOString(),
      });
    tags.push({
      ...tag('churn#production#1', (7).toString(16).padStart(40, '0'), 0),
      taggedAt: '2024-02-01T00:00:00Z',
    });
    const body = renderRegistryView({ state: registryState(tags), repoUrl: 'https://github.com/acme/churn' });
    const listed = [...body.matchAll(/^\| `(v1\.\d+\.0)` \| active/gm)].map((m) => m[1]);
    assert.deepEqual(listed, [...Array.from({ length: 20 }, (_, i) => `v1.${599 - i}.0`), 'v1.7.0']);
    assert.match(
      body,
      /_579 lower versions are not listed; the \[releases\]\(https:\/\/github\.com\/acme\/churn\/releases\) and `cairn registry show --json` have them all\._/,
    );
    assert.ok(body.length <= ISSUE_BODY_LIMIT);

    const everything = renderRegistryView({
      state: registryState(tags),
      repoUrl: 'https://github.com/acme/churn',
      versionsLimit: 1_000,
    });
    assert.ok(
      everything.length <= ISSUE_BODY_LIMIT && everything.length > ISSUE_BODY_LIMIT * 0.9,
      'past the limit the body is cut to fit',
    );
    assert.match(everything, /… \(cut to fit a GitHub issue\)$/);
  });

  test('an empty registry says how to start', () => {
    assert.match(renderModelsTable(registryState([])), /No models are registered yet/);
  });
});
