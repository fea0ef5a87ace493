/**
 * DVC's guess whether bytes are text (dvc_data istextfile.istextblock, after Perl's -T): empty is
 * text; a NUL byte makes it binary; otherwise text when at most 30% of the bytes are outside
 * printable ASCII and \n \r \t \f \b. Bytes >= 0x80 count as non-text, so mostly non-Latin UTF-8
 * counts as binary, as it does for DVC.
 */
export const TEXT_SNIFF_BYTES = 512;

const TEXT_BYTE = new Uint8Array(256);
for (let byte = 32; byte < 127; byte++) TEXT_BYTE[byte] = 1;
for (const byte of [0x0a, 0x0d, 0x09, 0x0c, 0x08]) TEXT_BYTE[byte] = 1;

/** istextblock over the first TEXT_SNIFF_BYTES of `block`, as DVC asks it. */
export function isTextBlock(block: Uint8Array): boolean {
  const sniff = block.subarray(0, TEXT_SNIFF_BYTES);
  if (sniff.length === 0) return true;
  let nonText = 0;
  for (const byte of sniff) {
    if (byte === 0) return false;
    nonText += 1 - TEXT_BYTE[byte];
  }
  // Same IEEE division and comparison as Python's `float(n) / len <= 0.30`.
  return nonText / sniff.length <= 0.3;
}

/**
 * bytes.replace(b"\r\n", b"\n"): matches cannot overlap, so this is "drop every CR that a LF
 * follows"; lone CRs stay. A byte loop rather than indexOf + copy: on short lines
 * the per-call cost of those would be most of the work.
 */
export function dos2unix(block: Uint8Array): Uint8Array {
  const first = Buffer.from(block.buffer, block.byteOffset, block.byteLength).indexOf('\r\n');
  if (first < 0) return block;
  const out = new Uint8Array(block.length);
  out.set(block.subarray(0, first));
  let written = first;
  const last = block.length - 1;
  for (let index = first; index <= last; index++) {
    const byte = block[index];
    if (byte === 0x0d && index < last && block[index + 1] === 0x0a) continue;
    out[written++] = byte;
  }
  return out.subarray(0, written);
}
