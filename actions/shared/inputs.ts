import * as core from '@actions/core';
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
