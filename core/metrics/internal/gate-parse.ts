import { UserError } from '../../errors.ts';
import { METRIC_NAMES } from '../types.ts';

/**
 * Gate grammar (a tokenizer and a recursive-descent parser; expressions are never evaluated as code):
 *
 *   gate      := rule ("," rule)* ","?
 *   rule      := metric op threshold
 *   op        := ">=" | ">" | "<=" | "<" | "=="
 *   threshold := number | "baseline" (("+" | "-" | "*") number)?
 *   number    := ("+" | "-")? digits ("." digits)? (("e" | "E") ("+" | "-")? digits)?   (".5" is fine too)
 *
 * Whitespace (newlines included, so a folded YAML string works) may appear between any two tokens.
 */

export type GateOp = '>=' | '>' | '<=' | '<' | '==';

export type GateThreshold =
  | { kind: 'number'; value: number }
  /** `baseline` alone is `{ op: '+', operand: 0 }`. */
  | { kind: 'baseline'; op: '+' | '-' | '*'; operand: number };

export interface GateRule {
  /** The rule as written, trimmed: shown back to the user in every result. */
  text: string;
  metric: string;
  op: GateOp;
  threshold: GateThreshold;
}

/** Every metric name any task can produce, in METRIC_NAMES order, without duplicates. */
export const ALL_METRIC_NAMES: readonly string[] = [...new Set(Object.values(METRIC_NAMES).flat())];

const EXAMPLES =
  'Write rules like `f1>=0.80`, `roc_auc>=baseline-0.01` or `log_loss<=baseline*1.05`, separated by commas.';

type TokenKind = 'ident' | 'number' | 'op' | 'arith' | 'comma' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  start: number;
}

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

function fail(expression: string, position: number, message: string): never {
  // Newlines and tabs become spaces so the caret lines up under the echoed expression.
  const flat = expression.replace(/[\t\r\n]/g, ' ');
  throw new UserError(
    `Invalid gate "${flat.trim()}" at column ${position + 1}: ${message}\n  ${flat}\n  ${' '.repeat(position)}^\n${EXAMPLES}`,
  );
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const rest = expression.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const two = rest.slice(0, 2);
    if (two === '>=' || two === '<=' || two === '==') {
      tokens.push({ kind: 'op', text: two, start: i });
      i += 2;
      continue;
    }
    const one = rest[0];
    if (one === '>' || one === '<') tokens.push({ kind: 'op', text: one, start: i });
    else if (one === '+' || one === '-' || one === '*') tokens.push({ kind: 'arith', text: one, start: i });
    else if (one === ',') tokens.push({ kind: 'comma', text: one, start: i });
    else if (one === '=') fail(expression, i, 'use `==` for equality (a single `=` is not an operator)');
    else if (one === '!') fail(expression, i, '`!=` is not supported; use >=, >, <=, < or ==');
    else {
      const match = NUMBER.exec(rest) ?? IDENT.exec(rest);
      if (!match) fail(expression, i, `unexpected character "${one}"`);
      tokens.push({ kind: /^[\d.]/.test(match[0]) ? 'number' : 'ident', text: match[0], start: i });
      i += match[0].length;
      continue;
    }
    i += 1;
  }
  tokens.push({ kind: 'end', text: '', start: expression.length });
  return tokens;
}

/** Plain edit distance, for "did you mean" on a misspelt metric name. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}

function unknownMetric(expression: string, token: Token): never {
  const closest = [...ALL_METRIC_NAMES].sort((x, y) => distance(token.text, x) - distance(token.text, y))[0];
  const hint = distance(token.text, closest) <= 2 ? ` (did you mean "${closest}"?)` : '';
  fail(expression, token.start, `unknown metric "${token.text}"${hint}; valid metrics: ${ALL_METRIC_NAMES.join(', ')}`);
}

/**
 * Parses a gate expression such as `f1>=0.80, roc_auc>=baseline-0.01` into rules.
 * Throws UserError pointing at the column of the first problem; an empty expression is an error
 * (a front door that has no gate should not call this).
 */
export function parseGate(expression: string): GateRule[] {
  const tokens = tokenize(expression);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const describe = (token: Token) => (token.kind === 'end' ? 'the end of the gate' : `"${token.text}"`);

  function signedNumber(after: Token): number {
    let sign = 1;
    if (peek().kind === 'arith' && peek().text !== '*') sign = next().text === '-' ? -1 : 1;
    const token = next();
    if (token.kind !== 'number')
      fail(expression, token.start, `expected a number after "${after.text}", found ${describe(token)}`);
    return sign * Number(token.text);
  }

  function threshold(op: Token): GateThreshold {
    const first = peek();
    if (first.kind === 'ident') {
      next();
      if (first.text !== 'baseline')
        fail(expression, first.start, `expected a number or \`baseline\` after "${op.text}", found "${first.text}"`);
      if (peek().kind !== 'arith') return { kind: 'baseline', op: '+', operand: 0 };
      const arith = next();
      return { kind: 'baseline', op: arith.text as '+' | '-' | '*', operand: signedNumber(arith) };
    }
    if (first.kind === 'number' || (first.kind === 'arith' && first.text !== '*'))
      return { kind: 'number', value: signedNumber(op) };
    fail(expression, first.start, `expected a number or \`baseline\` after "${op.text}", found ${describe(first)}`);
  }

  function rule(): GateRule {
    const metric = next();
    if (metric.kind !== 'ident') fail(expression, metric.start, `expected a metric name, found ${describe(metric)}`);
    if (!ALL_METRIC_NAMES.includes(metric.text)) unknownMetric(expression, metric);
    const op = next();
    if (op.kind !== 'op')
      fail(expression, op.start, `expected one of >=, >, <=, <, == after "${metric.text}", found ${describe(op)}`);
    const parsed = threshold(op);
    const end = peek();
    if (end.kind !== 'comma' && end.kind !== 'end')
      fail(expression, end.start, `expected "," or the end of the gate, found ${describe(end)}`);
    const text = expression.slice(metric.start, end.start).trim().replace(/\s+/g, ' ');
    return { text, metric: metric.text, op: op.text as GateOp, threshold: parsed };
  }

  if (peek().kind === 'end') fail(expression, 0, 'the gate is empty');
  const rules = [rule()];
  while (peek().kind === 'comma') {
    next();
    if (peek().kind === 'end') break; // a trailing comma is harmless (common in YAML)
    rules.push(rule());
  }
  return rules;
}
