/**
 * Reads nvidia-smi's `--format=csv` answers, with or without `noheader` and `nounits`: rows of
 * ", "-separated values, an optional header (`index, name, memory.total [MiB]`), values that may
 * carry a unit (`81559 MiB`, `35 %`) or say `[N/A]` / `[Not Supported]`.
 */

export type CsvRow = Record<string, string | null>;

/** Each line's values by field; a header line, when there is one, is recognised and skipped. */
export function parseQueryCsv(stdout: string, fields: readonly string[]): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((cell) => cell.trim());
    if (isHeader(cells, fields)) continue;
    // A GPU name holds no comma; if a future one did, the extra cells belong to the name (never the last field).
    if (cells.length < fields.length) continue;
    const extra = cells.length - fields.length;
    const nameAt = fields.indexOf('name');
    const joined = nameAt >= 0 && extra > 0 ? mergeCells(cells, nameAt, extra) : cells;
    rows.push(Object.fromEntries(fields.map((field, i) => [field, available(joined[i] ?? '')])));
  }
  return rows;
}

function isHeader(cells: readonly string[], fields: readonly string[]): boolean {
  return cells.length > 0 && cells[0]!.replace(/\s*\[.*\]$/, '') === fields[0];
}

function mergeCells(cells: readonly string[], at: number, extra: number): string[] {
  return [...cells.slice(0, at), cells.slice(at, at + extra + 1).join(', '), ...cells.slice(at + extra + 1)];
}

function available(value: string): string | null {
  return value === '' || /^\[.*\]$/.test(value) || value === 'N/A' ? null : value;
}

/** `81559`, `81559 MiB`, `35 %` -> the number; anything else -> null. */
export function leadingNumber(value: string | null): number | null {
  if (value === null) return null;
  const match = /^-?\d+(\.\d+)?/.exec(value);
  return match ? Number(match[0]) : null;
}

/** `CUDA Version: 12.4` in the default table's header, `CUDA Version : 12.4` in `-q`. */
export function cudaVersionIn(text: string): string | null {
  const match = /CUDA Version\s*:\s*(\d+\.\d+)/.exec(text);
  return match ? match[1]! : null;
}
