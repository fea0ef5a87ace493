/**
 * JSON text exactly as Python's `json.dumps(value, sort_keys=True)` writes it with its defaults
 * (separators ", " and ": ", ensure_ascii), for the values DVC serialises: strings, integers,
 * lists and string-keyed objects. DVC hashes these bytes, so one differing byte changes an id.
 */
export type PythonJsonValue = string | number | boolean | null | PythonJsonValue[] | { [key: string]: PythonJsonValue };

const SHORT_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x08: '\\b',
  0x0c: '\\f',
};

/** py_encode_basestring_ascii: printable ASCII as is, everything else \uXXXX per UTF-16 code unit (lowercase hex). */
export function pythonJsonString(text: string): string {
  let out = '"';
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    const short = SHORT_ESCAPES[unit];
    if (short !== undefined) out += short;
    else if (unit >= 0x20 && unit <= 0x7e) out += text[index];
    else out += `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** Python's str ordering: by code point (JavaScript's default sort compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

export function pythonJsonDumps(value: PythonJsonValue): string {
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'number') {
    // Floats print differently in Python (1e+16 vs 1e16, 1.0 vs 1); DVC manifests hold none.
    if (!Number.isSafeInteger(value)) throw new Error(`pythonJsonDumps: only integers are supported, got ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  return `{${keys.map((key) => `${pythonJsonString(key)}: ${pythonJsonDumps(value[key])}`).join(', ')}}`;
}
