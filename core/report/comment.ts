import { COMMENT_BODY_LIMIT } from './truncate.ts';
import { compose, fitToBudget, leftOut, type Detail, type ReportInput } from './compose.ts';

/** GitHub rejects issue and pull request comment bodies longer than this many characters. */
export const COMMENT_MAX_CHARS = COMMENT_BODY_LIMIT;

/** A confusion matrix wider than this is unreadable in a comment: the largest confusions are listed instead. */
const COMMENT_MATRIX_MAX_CLASSES = 12;

export interface CommentInput extends ReportInput {
  /** Hidden marker that finds this comment again (stickyMarker); always the first line. */
  marker: string;
  /** The job summary with the full report, linked when the comment had to leave things out. */
  summaryUrl?: string;
  /** Defaults to COMMENT_MAX_CHARS; measured in UTF-16 code units, never fewer than GitHub's characters. */
  maxLength?: number;
}

/** `<!-- cairn:<model>:metrics -->`; characters that could end the HTML comment (`>`, spaces...) become `%XX` code units. */
export function stickyMarker(model: string): string {
  const safe = model.replace(/[^A-Za-z0-9._/:=@#+-]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `<!-- cairn:${safe}:metrics -->`;
}

function pointer(missing: string[], summaryUrl: string | undefined): string | undefined {
  if (missing.length === 0) return undefined;
  const where = summaryUrl ? `the [job summary](${summaryUrl})` : 'the job summary of this workflow run';
  return `> [!NOTE]\n> Shortened to fit a pull request comment; left out: ${missing.join(', ')}. The full report is in ${where}.`;
}

/**
 * The pull request comment: marker, verdict title, gate, metric table with deltas, then folded
 * per-class table, confusion matrix, Mermaid charts, model card and run details. Never longer than
 * `maxLength`: detail is dropped step by step (classes beyond `max_classes`, charts, confusion
 * matrix, card, ...) with a pointer to the job summary; verdict and gate always stay.
 */
export function renderComment(input: CommentInput): string {
  const options = input.options ?? {};
  const classes = input.report.per_class?.length ?? 0;
  const maxClasses = options.max_classes ?? 20;
  const matrixAllowed = options.confusion_matrix !== false && input.report.confusion_matrix !== undefined;
  const matrixFits = (input.report.confusion_matrix?.labels.length ?? 0) <= COMMENT_MATRIX_MAX_CLASSES;

  // What the job summary shows; anything less here is "left out" and gets the pointer.
  const full: Detail = {
    classLimit: classes,
    confusion: matrixAllowed ? 'matrix' : 'none',
    topConfusions: 10,
    charts: options.charts !== false,
    chartClassLimit: maxClasses,
    card: options.card !== false,
    runDetails: true,
    fold: true,
  };
  const first: Detail = {
    ...full,
    classLimit: Math.min(classes, maxClasses),
    confusion: matrixAllowed ? (matrixFits ? 'matrix' : 'top') : 'none',
  };
  const ladder: Detail[] = [first];
  const step = (change: Partial<Detail>) => ladder.push({ ...ladder[ladder.length - 1], ...change });
  step({ charts: false });
  step({ confusion: matrixAllowed ? 'top' : 'none' });
  step({ card: false });
  // Halve the class table rather than jump to a handful: long class names can make each row large.
  while (ladder[ladder.length - 1].classLimit > 5)
    step({ classLimit: Math.max(5, Math.floor(ladder[ladder.length - 1].classLimit / 2)) });
  step({ confusion: 'none' });
  step({ classLimit: 0, runDetails: false });

  const limit = input.maxLength ?? COMMENT_MAX_CHARS;
  const render = (detail: Detail) =>
    compose(input, detail, { marker: input.marker, note: pointer(leftOut(input, detail, full), input.summaryUrl) });
  const where = input.summaryUrl ? `[job summary](${input.summaryUrl})` : 'job summary of this workflow run';
  return fitToBudget(
    render,
    ladder,
    { limit, measure: (text) => text.length },
    `_… cut here to fit a pull request comment; the ${where} has the full report._`,
  );
}
