/**
 * JSON.parse of a UTF-8 body, without making one large string of it. V8 puts a string of 128 KiB
 * or more in its large-object space, and on Node 20 making one costs about 3 µs per KiB, nearly
 * twice what parsing it does: the tag list of a 600-tag registry (about 180 KB) took 1.1 ms to
 * decode and parse whole, 0.35 ms in pieces (bench/app makes such a list on every tag push).
 *
 * A large array of objects is cut between two elements into pieces small enough to stay out of
 * that space, and each piece is parsed on its own. The cuts are made at `},{"KEY":`, KEY being the
 * first key of the first element: GitHub writes the keys of a list's elements in one order, and
 * nested objects (an issue's labels) start with other keys. That byte sequence cannot be inside a
 * JSON string (a quote there is escaped), and a cut inside a nested array leaves a piece that does
 * not parse, so the result is always JSON.parse's: a piece that fails sends the whole body to
 * JSON.parse, which then parses it or throws as it would have.
 */

/** Bytes per piece: under 128 KiB even when every character needs two bytes in V8. */
const PIECE_BYTES = 48 * 1024;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** `},{"KEY":` for the first key of the first element, or undefined when the list does not start with an object and a plain key. */
function betweenElements(bytes: Buffer): Buffer | undefined {
  if (bytes[1] !== 0x7b || bytes[2] !== QUOTE) return undefined; // '[{"'
  for (let i = 3; i < bytes.length && i < 3 + 256; i++) {
    if (bytes[i] === BACKSLASH) return undefined;
    if (bytes[i] === QUOTE) return Buffer.concat([Buffer.from('},{"'), bytes.subarray(3, i), Buffer.from('":')]);
  }
  return undefined;
}

export function parseJsonBytes(bytes: Buffer, pieceBytes = PIECE_BYTES): unknown {
  const last = bytes.length - 1;
  const separator = bytes.length > pieceBytes && bytes[0] === OPEN_BRACKET && bytes[last] === CLOSE_BRACKET ? betweenElements(bytes) : undefined;
  if (!separator) return JSON.parse(bytes.toString('utf8'));
  const items: unknown[] = [];
  let start = 1; // just past '['
  while (start < last) {
    let end = last; // the closing ']'
    if (end - start > pieceBytes) {
      let cut = bytes.lastIndexOf(separator, start + pieceBytes);
      if (cut < start) cut = bytes.indexOf(separator, start + pieceBytes); // an element larger than a piece
      if (cut !== -1) end = cut + 1; // keep the '}'
    }
    let piece: unknown;
    try {
      piece = JSON.parse(`[${bytes.toString('utf8', start, end)}]`);
    } catch {
      return JSON.parse(bytes.toString('utf8'));
    }
    for (const item of piece as unknown[]) items.push(item);
    start = end + 1; // past the ',' between pieces
  }
  return items;
}
