import { UserError } from '../../errors.ts';
import { parseNumberText } from '../parse-number.ts';

/**
 * Checks a CSV header and returns the column names. An empty name becomes `Unnamed: <index>`, as
 * pandas names it (a file written by `DataFrame.to_csv()` without `index=False` starts with one).
 */
export function checkColumnNames(path: string, fields: readonly string[]): string[] {
  const looksLikeData = fields.every((field) => parseNumberText(field).kind === 'number');
  if (looksLikeData) {
    throw new UserError(
      `${path}: the first row (${fields.slice(0, 5).join(', ')}${fields.length > 5 ? ', ...' : ''}) holds numbers, not column names. ` +
        'Add a header row naming the columns.',
    );
  }
  const names = fields.map((field, index) => (field === '' ? `Unnamed: ${index}` : field));
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new UserError(
        `${path}: the header names column "${name}" more than once. Give every column a different name.`,
      );
    }
    seen.add(name);
  }
  return names;
}
