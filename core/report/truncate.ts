/**
 * GitHub caps the text fields it stores and rejects longer ones (422), so text we send is cut to
 * fit rather than risking the whole request: check run output, comments, issue and release bodies.
 */

/** GitHub's limit for a check run's output.summary and output.text. */
export const CHECK_OUTPUT_LIMIT = 65_535;
/** GitHub's limit for an issue or pull request comment's body. */
export const COMMENT_BODY_LIMIT = 65_536;

/**
 * A line that opens or closes a fenced code block (CommonMark: up to 3 spaces, then 3+ ` or ~; a
 * backtick fence's info string holds no backtick, "```a`b" is no fence).
 */
const FENCE = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/;

/** The fence that closes the code block `text` leaves open, or undefined when none is open. */
function openFence(text: string): string | undefined {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const fence = FENCE.exec(line)?.[1];
    if (!fence) continue;
    if (open === undefined) open = fence;
    // A closing fence: the same character, at least as long, nothing after it.
    else if (fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = undefined;
  }
  return open;
}

/**
 * Cuts `text` to at most `limit` UTF-16 units (so never more code points, which is what GitHub
 * counts), at a line break when one is near, never inside a surrogate pair, and appends `note`
 * (or what `note` makes of the text left out, to say how much that was). The cut never leaves
 * markdown open around the note: a code block open at the cut is closed, and an HTML comment open
 * at the cut (which would hide the note) is dropped whole.
 */
export function truncateText(text: string, limit: number, note: string | ((dropped: string) => string)): string {
  if (text.length <= limit) return text;
  const noteFor = typeof note === 'string' ? () => note : note;
  // Room for the note about dropping everything (the longest, when it counts what it drops) and
  // for closing a fence.
  const reserve = `\n\n${noteFor(text)}`.length + '\n'.length + (openFence(text) ?? '```').length + 16;
  let cut = Math.max(0, limit - reserve);
  // A line break in the last 10% keeps table rows and list items whole.
  const newline = text.lastIndexOf('\n', cut);
  if (newline >= cut * 0.9) cut = newline;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  const comment = text.lastIndexOf('<!--', cut);
  if (comment >= 0 && text.lastIndexOf('-->', cut) < comment) cut = comment;
  const kept = text.slice(0, cut);
  const fence = openFence(kept);
  return `${kept}${fence ? `\n${fence}` : ''}\n\n${noteFor(text.slice(cut))}`.slice(0, limit);
}
