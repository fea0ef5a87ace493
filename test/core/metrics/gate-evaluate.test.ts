import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateGate, formatGateResult, parseGate } from '../../../core/metrics/gate.ts';
import { binaryBaseline, binaryReport, regressionReport } from '../report/sample-reports.ts';

const current = binaryReport(); // f1 0.764045, roc_auc 0.9132, log_loss 0.2874, accuracy 0.895
const baseline = binaryBaseline(); // roc_auc 0.9201, log_loss 0.295

describe('evaluateGate', () => {
  test('fixed thresholds pass and fail with the numbers compared', () => {
    const result = evaluateGate(parseGate('f1>=0.75, f1>=0.77'), current);
    assert.equal(result.passed, false);
    assert.deepEqual(
      result.rules.map(({ rule, passed, actual, threshold }) => ({ rule, passed, actual, threshold })),
      [
        { rule: 'f1>=0.75', passed: true, actual: 0.764045, threshold: 0.75 },
        { rule: 'f1>=0.77', passed: false, actual: 0.764045, threshold: 0.77 },
      ],
    );
    assert.equal(result.expression, 'f1>=0.75, f1>=0.77');
  });

  test('baseline arithmetic resolves the threshold from the baseline report', () => {
    const result = evaluateGate(
      parseGate('roc_auc>=baseline-0.005, log_loss<=baseline*1.05, accuracy>=baseline'),
      current,
      baseline,
    );
    const [roc, loss, accuracy] = result.rules;
    assert.ok(Math.abs(roc.threshold! - 0.9151) < 1e-12);
    assert.equal(roc.passed, false, 'roc_auc 0.9132 is below 0.9201 - 0.005');
    assert.ok(Math.abs(loss.threshold! - 0.30975) < 1e-12);
    assert.equal(loss.passed, true);
    assert.equal(accuracy.threshold, 0.8875);
    assert.equal(accuracy.passed, true);
    assert.equal(result.passed, false);
  });

  test('strict and non-strict comparisons differ exactly at the threshold', () => {
    const rules = parseGate('accuracy>=0.895, accuracy>0.895, accuracy==0.895, accuracy<=0.895, accuracy<0.895');
    assert.deepEqual(
      evaluateGate(rules, current).rules.map((rule) => rule.passed),
      [true, false, true, true, false],
    );
  });

  test('all rules passing passes the gate', () => {
    assert.equal(evaluateGate(parseGate('f1>=0.7, log_loss<0.3'), current).passed, true);
  });

  test('a baseline rule without a baseline fails closed, with a reason', () => {
    const result = evaluateGate(parseGate('f1>=0.7, roc_auc>=baseline-0.01'), current);
    assert.equal(result.passed, false);
    assert.equal(result.rules[0].passed, true);
    assert.deepEqual(result.rules[1], {
      rule: 'roc_auc>=baseline-0.01',
      metric: 'roc_auc',
      passed: false,
      actual: 0.9132,
      threshold: null,
      reason: 'no baseline to compare with',
    });
  });

  test("missingBaseline: 'pass' lets baseline rules pass, saying they were skipped", () => {
    const result = evaluateGate(parseGate('roc_auc>=baseline-0.01'), current, undefined, { missingBaseline: 'pass' });
    assert.equal(result.passed, true);
    assert.match(result.rules[0].reason!, /skipped/);
  });

  test('a null metric fails even with missingBaseline pass', () => {
    const oneClass = binaryReport({ metrics: { ...current.metrics, roc_auc: null } });
    const result = evaluateGate(parseGate('roc_auc>=0.5'), oneClass, undefined, { missingBaseline: 'pass' });
    assert.equal(result.passed, false);
    assert.equal(result.rules[0].actual, null);
    assert.match(result.rules[0].reason!, /roc_auc is undefined for this model/);
  });

  test('a metric the task does not compute fails and names the ones it does', () => {
    const result = evaluateGate(parseGate('f1>=0.5'), regressionReport());
    assert.equal(result.passed, false);
    assert.match(
      result.rules[0].reason!,
      /f1 is not computed for regression tasks \(this model has: mae, mse, rmse, r2, mape\)/,
    );
  });

  test('a baseline without the metric fails the rule', () => {
    const old = binaryBaseline({ metrics: { accuracy: 0.88 } });
    const result = evaluateGate(parseGate('f1>=baseline'), current, old);
    assert.equal(result.passed, false);
    assert.equal(result.rules[0].actual, 0.764045);
    assert.match(result.rules[0].reason!, /the baseline/);
  });

  test('an empty rule list passes vacuously', () => {
    assert.deepEqual(evaluateGate([], current), { expression: '', passed: true, rules: [] });
  });
});

describe('formatGateResult', () => {
  test('a headline and one aligned line per rule, failures in capitals', () => {
    const result = evaluateGate(parseGate('f1>=0.75, roc_auc>=baseline-0.005'), current, baseline);
    assert.deepEqual(formatGateResult(result), [
      'Gate FAILED (1 of 2 rules failed): f1>=0.75, roc_auc>=baseline-0.005',
      '  pass  f1>=0.75                 f1 = 0.7640, threshold 0.7500',
      '  FAIL  roc_auc>=baseline-0.005  roc_auc = 0.9132, threshold 0.9151',
    ]);
  });

  test('reasons are shown when a rule could not be checked', () => {
    const lines = formatGateResult(evaluateGate(parseGate('r2>=0.5, roc_auc>=baseline'), regressionReport()));
    assert.equal(lines[0], 'Gate FAILED (1 of 2 rules failed): r2>=0.5, roc_auc>=baseline');
    assert.equal(lines[1], '  pass  r2>=0.5            r2 = 0.8123, threshold 0.5000');
    assert.match(lines[2], /^ {2}FAIL {2}roc_auc>=baseline {2}roc_auc is not computed for regression tasks/);
  });

  test('a passing gate says so', () => {
    assert.equal(
      formatGateResult(evaluateGate(parseGate('mae<=25000'), regressionReport()))[0],
      'Gate passed (1 of 1 rules): mae<=25000',
    );
  });
});
