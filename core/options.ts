import { UserError } from './errors.ts';

/** Validation shared by the CLI's flags and the actions' inputs; `label` is how the user wrote it. */
export function checkChoice<const T extends readonly string[]>(
  label: string,
  value: string | undefined,
  choices: T,
  fallback: T[number],
): T[number] {
  if (value === undefined || value === '') return fallback;
  if (choices.includes(value)) return value;
  throw new UserError(`${label} must be one of ${choices.join(', ')}; got "${value}".`);
}

export function checkPositiveInt(label: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`${label} must be a positive integer; got "${value}".`);
  return n;
}
