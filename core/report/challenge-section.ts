/**
 * The champion-vs-challenger section of a job summary or pull request comment: what `cairn
 * challenge` decided and why, from its decision file alone. Model names, paths and the metric come
 * from files anyone can write, so they go through inert.ts like every other string a report shows.
 */
import type { ChallengeDecision } from '../metrics/index.ts';
import { codeCell, formatCount, formatNumber, inert, table } from './format.ts';

/** `+0.0213`, `-0.0040`, `±0`: the difference's sign is the point, so it is always shown. */
function signed(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : value < 0 ? `-${formatNumber(-value)}` : '±0';
}

function modelCell(side: ChallengeDecision['champion']): string {
  if (!side.registry) return codeCell(side.path);
  const { name, stage, version } = side.registry;
  return `${codeCell(stage !== undefined ? `${name}#${stage}` : `${name}@${version}`)}${stage !== undefined ? ` (${inert(version)})` : ''}`;
}

export function renderChallengeSection(decision: ChallengeDecision): string {
  const metric = inert(decision.metric);
  const promote = decision.decision === 'promote';
  const heading = `### Champion vs challenger: ${promote ? '✅ promote the challenger' : '⏸️ keep the champion'}`;
  const values = table(
    [
      ['', 'Model', 'sha256', metric],
      [
        'Champion',
        modelCell(decision.champion),
        codeCell(decision.champion.sha256.slice(0, 12)),
        formatNumber(decision.champion.value),
      ],
      [
        'Challenger',
        modelCell(decision.challenger),
        codeCell(decision.challenger.sha256.slice(0, 12)),
        formatNumber(decision.challenger.value),
      ],
    ],
    ['l', 'l', 'l', 'r'],
  );
  const [low, high] = decision.interval;
  const direction = decision.lower_is_better
    ? `lower is better, so the difference is champion − challenger`
    : `higher is better, so the difference is challenger − champion`;
  const skipped =
    decision.skipped > 0
      ? `; ${formatCount(decision.skipped)} resamples skipped, where ${metric} was undefined for a model`
      : '';
  const rule = `the interval's lower end ${signed(low)} ${promote ? 'is above' : 'is not above'} the minimum improvement ${formatNumber(decision.min_improvement)}`;
  return [
    heading,
    '',
    values,
    '',
    `**Difference:** ${signed(decision.difference)} in ${metric} (${direction}: positive means the challenger is better).`,
    '',
    `**95% interval:** [${signed(low)}, ${signed(high)}], a paired bootstrap: ${formatCount(decision.bootstrap)} resamples of the same ${formatCount(decision.data.rows)} rows of ${codeCell(decision.data.path)} for both models (seed ${decision.seed}${skipped}).`,
    '',
    `**Decision:** ${promote ? 'promote' : 'keep'}: ${rule}.`,
    '',
  ].join('\n');
}
