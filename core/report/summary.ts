import { compose, fitToBudget, leftOut, type Detail, type ReportInput } from './compose.ts';

/**
 * GitHub refuses a step summary of 1 MiB or more; we stay well under it so a step that also
 * writes its own lines to $GITHUB_STEP_SUMMARY still fits.
 */
export const JOB_SUMMARY_MAX_BYTES = 1_000_000;

/** Matrices up to this many classes are printed in full in the job summary. */
const SUMMARY_MATRIX_MAX_CLASSES = 50;

export interface JobSummaryInput extends ReportInput {
  /** Defaults to JOB_SUMMARY_MAX_BYTES; measured in UTF-8 bytes as GitHub does. */
  maxBytes?: number;
}

/**
 * The job summary: the full report (every class, confusion matrix or its largest cells beyond 50
 * classes, charts, model card, run details) under headings. Budgeted like the comment, in bytes.
 */
export function renderJobSummary(input: JobSummaryInput): string {
  const options = input.options ?? {};
  const classes = input.report.per_class?.length ?? 0;
  const matrixLabels = input.report.confusion_matrix?.labels.length ?? 0;
  const full: Detail = {
    classLimit: classes,
    confusion: input.report.confusion_matrix ? (matrixLabels <= SUMMARY_MATRIX_MAX_CLASSES ? 'matrix' : 'top') : 'none',
    topConfusions: 50,
    charts: options.charts !== false,
    chartClassLimit: 50,
    card: options.card !== false,
    runDetails: true,
    fold: false,
  };
  const ladder: Detail[] = [full];
  const step = (change: Partial<Detail>) => ladder.push({ ...ladder[ladder.length - 1], ...change });
  step({ charts: false });
  step({ confusion: input.report.confusion_matrix ? 'top' : 'none', topConfusions: 20 });
  step({ card: false });
  while (ladder[ladder.length - 1].classLimit > 5)
    step({ classLimit: Math.max(5, Math.floor(ladder[ladder.length - 1].classLimit / 2)) });
  step({ confusion: 'none' });
  step({ classLimit: 0, runDetails: false });

  const limit = input.maxBytes ?? JOB_SUMMARY_MAX_BYTES;
  const note = (detail: Detail) => {
    const missing = leftOut(input, detail, full);
    return missing.length > 0
      ? `> [!NOTE]\n> Shortened to fit the job summary size limit; left out: ${missing.join(', ')}. metrics.json has every number.`
      : undefined;
  };
  return fitToBudget(
    (detail) => compose(input, detail, { note: note(detail) }),
    ladder,
    { limit, measure: (text) => Buffer.byteLength(text, 'utf8') },
    '_… cut here to fit the job summary size limit; metrics.json has every number._',
  );
}
