/**
 * Notes for the GitHub Release of a registered model version: where the version comes from, its
 * verdict and the model card, all from the evaluation record on the tagged commit.
 */
import type { ModelConfig } from '../config/index.ts';
import type { MetricsReport } from '../metrics/index.ts';
import { code, inert, shortHash } from './format.ts';
import { renderGateSection } from './metric-table.ts';
import { renderModelCard } from './model-card.ts';

export interface ReleaseNotesInput {
  model: string;
  version: string;
  tag: string;
  sha: string;
  /** The `cairn: <model>` record on the commit, when there is one. */
  report?: MetricsReport;
  /** Link to the check run that holds the record. */
  recordUrl?: string;
  config?: ModelConfig;
  /** Lines saying which `cairn: <model>` check runs were not read, and why (an untrusted app made them). */
  ignored?: readonly string[];
}

/** The card without its YAML front matter, which a release body would show as plain text. */
function cardBody(report: MetricsReport, config: ModelConfig | undefined): string {
  return renderModelCard({ report, model: config, frontMatter: false });
}

/** A note naming the check runs that were not read as evidence; empty when there were none. */
function ignoredNote(ignored: readonly string[] | undefined): string[] {
  if (!ignored || ignored.length === 0) return [];
  return [
    '',
    '> [!NOTE]',
    ...ignored.map((line) => `> ${inert(`${line.charAt(0).toUpperCase()}${line.slice(1)}.`)}`),
    "> Only GitHub Actions and the apps listed in `evidence.trusted_apps` of the default branch's `.github/cairn.yml` leave evidence.",
  ];
}

export function renderReleaseNotes(input: ReleaseNotesInput): string {
  const { model, version, tag, sha, report } = input;
  const head = `Registered ${code(`${model}@${version}`)} by tag ${code(tag)} on commit ${code(shortHash(sha))}.`;
  if (!report) {
    return [
      head,
      '',
      `> [!WARNING]`,
      `> No evaluation record: commit ${code(shortHash(sha))} has no completed ${code(`cairn: ${model}`)} check run with a Cairn record from a trusted source, so this release has no metrics or model card. Run the evaluate/report workflow on that commit before promoting ${inert(model)}.`,
      ...ignoredNote(input.ignored),
      '',
    ].join('\n');
  }
  const source = input.recordUrl
    ? `[evaluation record](${input.recordUrl})`
    : `evaluation record (${code(`cairn: ${model}`)} check run)`;
  return [
    head,
    '',
    `Metrics and card from the ${source} on that commit.`,
    ...ignoredNote(input.ignored),
    '',
    renderGateSection(report.gate, report.gate_disabled),
    '',
    cardBody(report, input.config),
  ].join('\n');
}
