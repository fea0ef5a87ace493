/**
 * What reviewers read: the pull request's title and body, and the comment a later `keep` leaves.
 * Every string that came from a file or a user (model name, paths, metric, column names) goes
 * through core/report's escaping; the report file, markdown Cairn rendered, keeps its formatting
 * with what could still act broken (core/report's inertMarkdown).
 */
import type { DriftReport } from '../../drift/index.ts';
import {
  code,
  codeCell,
  COMMENT_BODY_LIMIT,
  inert,
  inertMarkdown,
  plainLine,
  table,
  truncateText,
} from '../../report/index.ts';
import type { ChallengeDecision } from '../decision.ts';

/** GitHub's limit for a pull request title. */
const TITLE_LIMIT = 256;
/** Drifted columns listed before the rest is summed up. */
const DRIFT_ROWS = 30;

export interface ProposalText {
  model: string;
  decision: ChallengeDecision;
  drift?: DriftReport;
  /** Markdown Cairn rendered (`cairn report --comment-out`), shown under the decision. */
  report?: string;
  /** Repository-relative paths of the files the commit carries. */
  files: readonly string[];
  /** This workflow run's page. */
  runUrl?: string;
  marker: string;
}

const show = (value: number | null | undefined) =>
  value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : Number(value.toPrecision(6)).toString();

export function proposalTitle(model: string, decision: ChallengeDecision): string {
  const { metric, champion, challenger } = decision;
  const title = `Retrained ${model}: ${metric} ${show(champion.value)} → ${show(challenger.value)}`;
  return plainLine(title).slice(0, TITLE_LIMIT);
}

function decisionTable(decision: ChallengeDecision): string {
  const [low, high] = decision.interval;
  const percent = `${Math.round(decision.confidence * 100)}%`;
  return table([
    ['', 'model', inert(decision.metric)],
    ['champion', codeCell(decision.champion.path), show(decision.champion.value)],
    ['challenger', codeCell(decision.challenger.path), show(decision.challenger.value)],
    ['difference (positive = challenger better)', '', show(decision.difference)],
    [`${percent} interval (paired bootstrap)`, '', `[${show(low)}, ${show(high)}]`],
  ]);
}

function why(decision: ChallengeDecision): string {
  const low = show(decision.interval[0]);
  const bar = show(decision.min_improvement);
  const resamples = `${decision.bootstrap} resamples, seed ${decision.seed}${decision.skipped ? `, ${decision.skipped} skipped` : ''}`;
  return decision.decision === 'promote'
    ? `**promote**: the interval's lower bound ${low} is above the minimum improvement ${bar} (${resamples}).`
    : `**keep**: the interval's lower bound ${low} is not above the minimum improvement ${bar} (${resamples}); the champion stays.`;
}

function driftSection(drift: DriftReport): string {
  const { dataset } = drift;
  const head = `### Drift: ${dataset.drifted_columns} of ${dataset.columns} columns drifted (share ${show(dataset.share)}, threshold ${show(dataset.threshold)}): ${dataset.drifted ? 'dataset drifted' : 'no dataset drift'}`;
  const drifted = drift.columns.filter((column) => column.drifted);
  if (drifted.length === 0) return head;
  const rows = drifted.slice(0, DRIFT_ROWS).map((c) => [inert(c.name), c.test, show(c.score), show(c.threshold)]);
  const more = drifted.length > DRIFT_ROWS ? `\n\n… and ${drifted.length - DRIFT_ROWS} more drifted columns.` : '';
  return `${head}\n\n${table([['column', 'test', 'score', 'threshold'], ...rows])}${more}`;
}

function footer(text: ProposalText): string {
  const files = text.files.map((path) => `- ${code(path)}`).join('\n');
  const run = text.runUrl ? `\n\nWorkflow run: ${code(text.runUrl)}` : '';
  return `### Files in this change\n\n${files}${run}`;
}

/** The body, within GitHub's limit: the report is what gets cut, never the decision. */
export function proposalBody(text: ProposalText): string {
  const header = [
    text.marker,
    `## Retrained ${code(text.model)}: ${text.decision.decision}`,
    why(text.decision),
    decisionTable(text.decision),
    ...(text.drift ? [driftSection(text.drift)] : []),
  ].join('\n\n');
  const tail = footer(text);
  const room = COMMENT_BODY_LIMIT - header.length - tail.length - 8;
  const report = text.report?.trim()
    ? truncateText(
        inertMarkdown(text.report.trim()),
        Math.max(0, room),
        '… (the report was cut to fit a pull request; the job summary has it all)',
      )
    : '';
  return [header, report, tail].filter(Boolean).join('\n\n');
}

/** The comment a `keep` leaves on the open pull request: the champion stayed, and why. */
export function keepComment(text: Omit<ProposalText, 'files' | 'report'>): string {
  const run = text.runUrl ? `\n\nRun: ${code(text.runUrl)}` : '';
  return (
    [
      text.marker,
      `### A later retraining of ${code(text.model)} kept the champion`,
      why(text.decision),
      decisionTable(text.decision),
      ...(text.drift ? [driftSection(text.drift)] : []),
    ].join('\n\n') + `\n\nThis pull request still holds the earlier challenger; nothing was pushed.${run}`
  );
}
