/**
 * A drift run's per-column settings as the CLI (`--test age=ks`, repeated) and actions/drift (`tests:`, one per line)
 * take them; `label` is how the front door names the option in its messages.
 */
import { UserError } from '../errors.ts';
import { isDriftTest } from './internal/compare-tables.ts';
import type { DriftTest } from './internal/tests.ts';

/** `COLUMN=VALUE` pairs; the last `=` splits, so a column name may hold one. */
export function parseColumnPairs(label: string, values: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const value of values) {
    const at = value.lastIndexOf('=');
    if (at <= 0 || at === value.length - 1)
      throw new UserError(`${label} ${value}: write it as COLUMN=VALUE, e.g. ${label} age=ks.`);
    out.set(value.slice(0, at), value.slice(at + 1));
  }
  return out;
}

export function parseColumnTests(label: string, values: readonly string[] | undefined): Map<string, DriftTest> {
  const tests = new Map<string, DriftTest>();
  for (const [column, test] of parseColumnPairs(label, values)) {
    if (!isDriftTest(test))
      throw new UserError(
        `${label} ${column}=${test}: unknown test; choose ks, chisquare, z, wasserstein, jensenshannon or psi.`,
      );
    tests.set(column, test);
  }
  return tests;
}

export function parseColumnThresholds(label: string, values: readonly string[] | undefined): Map<string, number> {
  const thresholds = new Map<string, number>();
  for (const [column, text] of parseColumnPairs(label, values)) {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value))
      throw new UserError(`${label} ${column}=${text}: the threshold must be a number, e.g. ${column}=0.05.`);
    // No score is below 0 (p-values and distances alike): such a threshold could never, or always, flag drift.
    if (value < 0)
      throw new UserError(
        `${label} ${column}=${text}: a threshold is 0 or more (a p-value or a distance), e.g. ${column}=0.05.`,
      );
    thresholds.set(column, value);
  }
  return thresholds;
}

/** The share of drifted columns that makes the dataset drift, in (0, 1]; undefined keeps Evidently's 0.5. */
export function parseDriftShare(label: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const share = Number(text);
  if (text.trim() === '' || !(share > 0 && share <= 1))
    throw new UserError(`${label} ${text}: give a share above 0 and at most 1, e.g. ${label} 0.5.`);
  return share;
}
