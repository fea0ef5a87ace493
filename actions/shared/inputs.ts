import * as core from '@actions/core';
import { UserError } from '../../core/errors.ts';
import { checkChoice, checkPositiveInt } from '../../core/options.ts';

export function parseEnumInput<const T extends readonly string[]>(
  name: string,
  choices: T,
  fallback: T[number],
): T[number] {
  return checkChoice(`input ${name}`, core.getInput(name).trim(), choices, fallback);
}

export function parsePositiveIntInput(name: string, fallback: number): number {
  return checkPositiveInt(`input ${name}`, core.getInput(name).trim(), fallback);
}

/** A positive number (minutes may be a fraction); undefined when the input is empty. */
export function parsePositiveNumberInput(name: string): number | undefined {
  const value = core.getInput(name).trim();
  if (value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`input ${name} must be a positive number; got "${value}".`);
  return n;
}
