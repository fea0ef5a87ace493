/**
 * What reviewers of a deployment read next to the approve button: the verdict of Cairn's
 * protection rule, why, the key metrics and a link to the model card.
 */
import type { GateResult, MetricsReport } from '../metrics/index.ts';
import { code, inertLines } from './format.ts';
import { renderGateSection, renderMetricTable } from './metric-table.ts';

export interface DeploymentReviewInput {
  approved: boolean;
  environment: string;
  stage?: string;
  model?: string;
  version?: string;
  /** Why it was rejected, or notes on an approval. */
  reasons: readonly string[];
  report?: MetricsReport;
  /** The stage's gate as checked for this deployment (may differ from the gate in the record). */
  gate?: GateResult;
  /** The stage's current holder, when the gate compared with it. */
  baseline?: { version: string; report: MetricsReport };
  /** The release with the model card. */
  cardUrl?: string;
  recordUrl?: string;
}

/** GitHub keeps review comments short; this leaves room for the metric table of any task. */
export const REVIEW_COMMENT_LIMIT = 60_000;

export function renderDeploymentReview(input: DeploymentReviewInput): string {
  const what =
    input.model && input.version
      ? `${code(`${input.model}@${input.version}`)} to ${code(input.environment)}`
      : `the deployment to ${code(input.environment)}`;
  const lines = [input.approved ? `✅ Cairn approves ${what}.` : `❌ Cairn rejects ${what}.`];
  if (input.reasons.length > 0) lines.push('', ...input.reasons.map((reason) => `- ${inertLines(reason)}`));
  if (input.gate) lines.push('', renderGateSection(input.gate));
  if (input.report) {
    const labels = input.baseline
      ? {
          current: input.version ?? 'this version',
          baseline: `${input.baseline.version} (now in ${input.stage ?? input.environment})`,
        }
      : { current: input.version ?? 'this version' };
    lines.push('', renderMetricTable(input.report, input.baseline?.report, labels));
  }
  const links = [
    input.cardUrl ? `[model card](${input.cardUrl})` : undefined,
    input.recordUrl ? `[evaluation record](${input.recordUrl})` : undefined,
  ].filter(Boolean);
  if (links.length > 0) lines.push('', links.join(' · '));
  const text = lines.join('\n');
  return text.length <= REVIEW_COMMENT_LIMIT ? text : `${text.slice(0, REVIEW_COMMENT_LIMIT - 2)} …`;
}
