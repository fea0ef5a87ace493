import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { renderModelCard } from '../../../core/report/index.ts';
import { renderReleaseNotes } from '../../../core/report/release-notes.ts';
import { parseRepoConfig, findModelConfig } from '../../../core/config/index.ts';
import { evaluateGate, parseGate } from '../../../core/metrics/gate.ts';
import { binaryBaseline, binaryReport, regressionReport } from './sample-reports.ts';
import { rowOf } from './markdown-table-reader.ts';

const MITCHELL_SECTIONS = [
  'Model details',
  'Intended use',
  'Factors',
  'Metrics',
  'Evaluation data',
  'Training data',
  'Quantitative analyses',
  'Ethical considerations',
  'Caveats and recommendations',
];

const CONFIG = parseRepoConfig(
  `models:
  churn:
    path: models/churn.onnx
    task: binary
    type: gradient boosted trees
    description: Predicts which customers cancel within 90 days.
    labels: [stays, churns]
    card:
      license: Apache 2.0
      intended_use: Prioritise retention calls for the customer success team.
      training_data: CRM export, January 2023 to June 2024, EU customers.
      limitations: Not validated outside the EU.
`,
  '.github/cairn.yml',
);

function frontMatter(card: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(card);
  assert.ok(match, 'the card starts with YAML front matter');
  return parse(match[1]) as Record<string, unknown>;
}

describe('renderModelCard', () => {
  const report = { ...binaryReport(), gate: evaluateGate(parseGate('f1>=0.7'), binaryReport()) };
  const card = renderModelCard({ report, baseline: binaryBaseline(), model: findModelConfig(CONFIG, 'churn') });

  test('has the nine Mitchell et al. sections in order', () => {
    const headings = [...card.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    assert.deepEqual(headings, MITCHELL_SECTIONS);
    assert.match(card, /^# Model card: churn$/m);
  });

  test('Hugging Face model-index front matter carries the measured metrics', () => {
    const meta = frontMatter(card);
    assert.equal(meta.license, 'apache-2.0');
    assert.equal(meta.library_name, 'onnx');
    const [entry] = meta['model-index'] as Array<{ name: string; results: Array<Record<string, unknown>> }>;
    assert.equal(entry.name, 'churn');
    const [result] = entry.results as Array<{
      task: { type: string };
      dataset: Record<string, string>;
      metrics: Array<{ type: string; value: number; name: string }>;
    }>;
    assert.equal(result.task.type, 'tabular-classification');
    assert.deepEqual(result.dataset, {
      name: 'churn-test.csv',
      type: 'data/churn-test.csv',
      revision: (binaryReport().data as { sha256: string }).sha256,
    });
    assert.deepEqual(
      result.metrics.find((metric) => metric.type === 'roc_auc'),
      { type: 'roc_auc', name: 'ROC AUC', value: 0.9132 },
    );
    assert.equal(result.metrics.length, 9);
  });

  test('fields from the config are used as written', () => {
    assert.match(card, /\*\*Model type:\*\* gradient boosted trees/);
    assert.match(card, /\*\*Description:\*\* Predicts which customers cancel within 90 days\./);
    assert.match(card, /\*\*Primary intended uses:\*\* Prioritise retention calls for the customer success team\./);
    assert.match(card, /## Training data\n\nCRM export, January 2023 to June 2024, EU customers\./);
    assert.match(card, /\*\*Limitations:\*\* Not validated outside the EU\./);
  });

  test('fields nobody wrote are marked unknown with the key to set, never invented', () => {
    assert.match(card, /## Factors\n\n_Not provided in \.github\/cairn\.yml_ \(set `models\.churn\.card\.factors`\)/);
    assert.match(
      card,
      /## Ethical considerations\n\n_Not provided in \.github\/cairn\.yml_ \(set `models\.churn\.card\.ethical_considerations`\)/,
    );
    assert.match(
      card,
      /\*\*Out-of-scope uses:\*\* _Not provided in \.github\/cairn\.yml_ \(set `models\.churn\.card\.out_of_scope_use`\)/,
    );
    assert.match(card, /\*\*Recommendations:\*\* _Not provided in \.github\/cairn\.yml_/);
    assert.match(card, /\*\*Developers:\*\* _Not provided in \.github\/cairn\.yml_/);
  });

  test('measured facts come from metrics.json: data, model file, metrics, gate', () => {
    assert.match(card, /\*\*Dataset:\*\* `data\/churn-test\.csv`, sha256 `a1b2c3d4[0-9a-f]+`, 2,000 rows/);
    assert.match(card, /\*\*Model file:\*\* `models\/churn\.onnx`, sha256 `9f2c4e1a[0-9a-f]+`/);
    // labels from the config name the measured classes, which stay visible
    assert.match(card, /\*\*Classes:\*\* stays \(`no`\), churns \(`yes`\)/);
    assert.match(card, /Release gate: `f1>=0\.7` \(passed\)\./);
    assert.deepEqual(rowOf(card, 'metric', 'log_loss ↓'), {
      metric: 'log_loss ↓',
      baseline: '0.2950',
      'this model': '0.2874',
      change: '🟢 -0.0076 (-2.6%)',
    });
    assert.equal(rowOf(card, 'class', 'churns').support, '460', 'the per-class table uses the config names');
  });

  test('without a config entry every prose field is unknown', () => {
    const bare = renderModelCard({ report: regressionReport() });
    const unknown = bare.match(/_Not provided in \.github\/cairn\.yml_/g) ?? [];
    // type, description, developers, license, citation, contact, intended use, out-of-scope use, factors,
    // evaluation data, training data, ethical considerations, limitations, recommendations
    assert.equal(unknown.length, 14);
    assert.match(bare, /`models\.house-prices\.card\.intended_use`/);
    assert.doesNotMatch(bare, /Classes:/);
    assert.match(renderModelCard({ report: binaryReport() }), /\*\*Classes:\*\* no, yes$/m);
    assert.equal(frontMatter(bare).license, undefined, 'no license is claimed when none is configured');
  });

  test('undefined metrics are left out of model-index rather than written as null', () => {
    const oneClass = binaryReport({ metrics: { ...binaryReport().metrics, roc_auc: null } });
    const meta = frontMatter(renderModelCard({ report: oneClass }));
    const metrics = (meta['model-index'] as Array<{ results: Array<{ metrics: Array<{ type: string }> }> }>)[0]
      .results[0].metrics;
    assert.ok(!metrics.some((metric) => metric.type === 'roc_auc'));
    assert.equal(metrics.length, 8);
  });

  test('without front matter (a release body) the card is the same from its title on', () => {
    const report = binaryReport();
    const full = renderModelCard({ report });
    const bare = renderModelCard({ report, frontMatter: false });
    assert.ok(bare.startsWith('# Model card: '));
    assert.equal(full.slice(full.indexOf('# Model card: ')), bare);
    const notes = renderReleaseNotes({
      model: report.name,
      version: 'v1.0.0',
      tag: `${report.name}@v1.0.0`,
      sha: 'a'.repeat(40),
      report,
    });
    assert.ok(notes.endsWith(bare), 'the release notes end with the card');
    assert.doesNotMatch(notes, /model-index/);
  });

  test('an unknown dataset is written as unknown in the front matter', () => {
    const meta = frontMatter(renderModelCard({ report: binaryReport({ data: undefined }) }));
    const dataset = (meta['model-index'] as Array<{ results: Array<{ dataset: unknown }> }>)[0].results[0].dataset;
    assert.deepEqual(dataset, { name: 'unknown', type: 'unknown' });
  });

  test('records the target, the feature columns in input order and the decision rule', () => {
    const data = {
      ...binaryReport().data!,
      target: 'churned',
      features: ['tenure', 'monthly_charges', 'support_calls'],
    };
    const model = findModelConfig(CONFIG, 'churn');
    const argmax = renderModelCard({ report: binaryReport({ data, decision: { rule: 'label-output' } }), model });
    assert.match(argmax, /^- \*\*Target:\*\* `churned`$/m);
    assert.match(
      argmax,
      /^- \*\*Features\*\* \(3, in model input order\): `tenure`, `monthly_charges`, `support_calls`$/m,
    );
    assert.match(
      argmax,
      /^- \*\*Decision threshold:\*\* the model's own predicted label \(its argmax\), churns when its probability is > 0\.5 \(`models\.churn\.threshold` is not set\)$/m,
    );
    const set = renderModelCard({
      report: binaryReport({ data, decision: { rule: 'threshold', threshold: 0.3 } }),
      model,
    });
    assert.match(
      set,
      /^- \*\*Decision threshold:\*\* churns when its probability is ≥ 0\.3 \(set by `models\.churn\.threshold`\)$/m,
    );
    assert.doesNotMatch(renderModelCard({ report: regressionReport() }), /Decision threshold|Features/);
  });

  test('front matter follows the Hub conventions: license as a Hub id, pipeline_tag', () => {
    const meta = frontMatter(card);
    assert.equal(meta.license, 'apache-2.0', '"Apache 2.0" in the config');
    assert.equal(meta.pipeline_tag, 'tabular-classification');
    const withLicense = (license: string) =>
      frontMatter(renderModelCard({ report: binaryReport(), model: { path: 'm.onnx', card: { license } } }));
    assert.equal(withLicense('MIT').license, 'mit');
    assert.deepEqual(
      [withLicense('Acme EULA v2').license, withLicense('Acme EULA v2').license_name],
      ['other', 'acme-eula-v2'],
    );
  });
});
