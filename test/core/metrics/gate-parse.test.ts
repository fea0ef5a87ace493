import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_METRIC_NAMES, parseGate } from '../../../core/metrics/gate.ts';
import { UserError } from '../../../core/errors.ts';
import { METRIC_NAMES } from '../../../core/metrics/types.ts';

/** Asserts parseGate throws a UserError whose message matches every pattern; returns the message. */
function parseError(expression: string, ...patterns: RegExp[]): string {
  let caught: unknown;
  try {
    parseGate(expression);
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof UserError,
    `expected a UserError for ${JSON.stringify(expression)}, got ${String(caught)}`,
  );
  for (const pattern of patterns) assert.match(caught.message, pattern);
  return caught.message;
}

describe('parseGate', () => {
  test('reads a fixed threshold', () => {
    assert.deepEqual(parseGate('f1>=0.80'), [
      { text: 'f1>=0.80', metric: 'f1', op: '>=', threshold: { kind: 'number', value: 0.8 } },
    ]);
  });

  test('reads baseline arithmetic: plain, +, -, *', () => {
    const rules = parseGate('accuracy>=baseline, r2>baseline+0.02, roc_auc>=baseline-0.01, log_loss<=baseline*1.05');
    assert.deepEqual(
      rules.map((rule) => rule.threshold),
      [
        { kind: 'baseline', op: '+', operand: 0 },
        { kind: 'baseline', op: '+', operand: 0.02 },
        { kind: 'baseline', op: '-', operand: 0.01 },
        { kind: 'baseline', op: '*', operand: 1.05 },
      ],
    );
    assert.deepEqual(
      rules.map((rule) => rule.op),
      ['>=', '>', '>=', '<='],
    );
  });

  test('accepts every comparison operator', () => {
    const rules = parseGate('accuracy>=0.1, accuracy>0.1, mae<=3, mae<3, r2==1');
    assert.deepEqual(
      rules.map((rule) => rule.op),
      ['>=', '>', '<=', '<', '=='],
    );
  });

  test('tolerates whitespace and newlines anywhere between tokens (folded YAML)', () => {
    const rules = parseGate('  roc_auc >=  baseline  -  0.01 ,\n\tlog_loss<= baseline * 1.05\n');
    assert.equal(rules.length, 2);
    assert.equal(rules[0].text, 'roc_auc >= baseline - 0.01');
    assert.equal(rules[1].text, 'log_loss<= baseline * 1.05');
    assert.deepEqual(rules[0].threshold, { kind: 'baseline', op: '-', operand: 0.01 });
  });

  test('reads number forms: leading dot, exponent, sign', () => {
    const values = parseGate('f1>=.5, mape<=1e-3, r2>-0.5, mae<+2.5E2').map((rule) => rule.threshold);
    assert.deepEqual(values, [
      { kind: 'number', value: 0.5 },
      { kind: 'number', value: 0.001 },
      { kind: 'number', value: -0.5 },
      { kind: 'number', value: 250 },
    ]);
  });

  test('ignores one trailing comma', () => {
    assert.equal(parseGate('f1>=0.8,').length, 1);
  });

  test('knows every metric of every task', () => {
    for (const names of Object.values(METRIC_NAMES))
      for (const name of names) assert.equal(parseGate(`${name}>=0`)[0].metric, name);
    assert.equal(ALL_METRIC_NAMES.length, new Set(Object.values(METRIC_NAMES).flat()).size);
  });
});

describe('parseGate errors', () => {
  test('an unknown metric lists all valid names and suggests the closest', () => {
    const message = parseError('f11>=0.8', /unknown metric "f11"/, /did you mean "f1"\?/);
    for (const name of ALL_METRIC_NAMES) assert.ok(message.includes(name), `valid names should include ${name}`);
  });

  test('no suggestion when nothing is close', () => {
    const message = parseError('throughput>=10', /unknown metric "throughput"/);
    assert.doesNotMatch(message, /did you mean/);
  });

  test('points a caret at the column of the problem', () => {
    const message = parseError('f1>=0.8, roc_auc>=abc', /at column 19:/);
    const lines = message.split('\n');
    assert.equal(lines[1], '  f1>=0.8, roc_auc>=abc');
    assert.equal(lines[2].indexOf('^'), lines[1].indexOf('abc'));
  });

  test('a single = suggests ==', () => {
    parseError('accuracy=0.9', /use `==`/, /column 9/);
  });

  test('a missing comma between rules is reported where the next rule starts', () => {
    parseError('f1>=0.8 roc_auc>=0.9', /expected "," or the end of the gate, found "roc_auc"/, /column 9/);
  });

  test('a missing threshold, operator or metric is named', () => {
    parseError('f1>=', /expected a number or `baseline` after ">=", found the end of the gate/);
    parseError('f1 0.8', /expected one of >=, >, <=, <, == after "f1", found "0.8"/);
    parseError('>=0.8', /expected a metric name, found ">="/);
    parseError('roc_auc>=baseline-', /expected a number after "-"/);
  });

  test('empty gates and empty rules are errors', () => {
    parseError('', /the gate is empty/);
    parseError('   ', /the gate is empty/);
    parseError('f1>=0.8,,accuracy>=0.9', /expected a metric name, found ","/);
  });

  test('anything that is not the grammar is rejected, never evaluated', () => {
    parseError('f1>=baseline/2', /unexpected character "\/"/);
    parseError('f1>=process', /expected a number or `baseline` after ">=", found "process"/);
    parseError('f1>=process.exit(1)', /unexpected character "\."/);
    parseError('f1>=0.8; accuracy>=0.9', /unexpected character ";"/);
    parseError('f1!=0.8', /`!=` is not supported/);
    parseError('f1>=2*baseline', /expected "," or the end of the gate, found "\*"/);
  });

  test('every message shows how rules are written', () => {
    parseError('f1>=abc', /Write rules like `f1>=0.80`, `roc_auc>=baseline-0.01`/);
  });
});
