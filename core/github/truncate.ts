/**
 * GitHub caps check run output fields at 65,535 characters and rejects longer ones (422), so text
 * we send is cut to fit rather than risking the whole check run.
 */

/** GitHub's limit for a check run's output.summary and output.text. */
export const CHECK_OUTPUT_LIMIT = 65_535;

/**
 * Cuts `text` to at most `limit` UTF-16 units (so never more code points, which is what GitHub
 * counts), at a line break when one is near, never inside a surrogate pair, and appends `note`.
 */
export function truncateText(text: string, limit: number, note: string): string {
  if (text.length <= limit) return text;
  const tail = `\n\n${note}`;
  let cut = Math.max(0, limit - tail.length);
  // A line break in the last 10% keeps table rows and list items whole.
  const newline = text.lastIndexOf('\n', cut);
  if (newline >= cut * 0.9) cut = newline;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}${tail}`.slice(0, limit);
}
