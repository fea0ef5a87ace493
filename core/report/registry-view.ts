/**
 * The "Model registry" issue: models × stages, the highest versions and every stage holder, the
 * last deployment per environment and recent history, rendered from the registry state the tags
 * add up to. The body keeps the
 * deployments it has seen in a hidden line, so a refresh after a tag push does not forget them.
 */
import { truncateText } from './truncate.ts';
import type { HistoryEntry, RegistryState, VersionState } from '../registry/index.ts';
import { code, codeCell, inert, repoLink, shortHash, table } from './format.ts';

export const REGISTRY_ISSUE_TITLE = 'Model registry';
/** Finds the issue again; on a line of its own, first in the body. */
export const REGISTRY_ISSUE_MARKER = '<!-- cairn:registry -->';
/** GitHub rejects issue bodies longer than this (422). */
export const ISSUE_BODY_LIMIT = 65_536;

const DEPLOYMENTS_PREFIX = '<!-- cairn:deployments ';

/** The newest deployment status seen for one environment. */
export interface DeploymentSeen {
  environment: string;
  state: string;
  /** The deployment's ref: the assignment tag when Cairn dispatched it. */
  ref: string;
  sha: string;
  at: string;
  /** The workflow run or log, when GitHub gave one. */
  url?: string;
}

export interface RegistryViewInput {
  state: RegistryState;
  /** Stage columns in this order (the config's); stages only tags mention are added after. */
  stages?: readonly string[];
  /** `https://github.com/owner/repo`, to link tags, commits and releases. */
  repoUrl?: string;
  deployments?: readonly DeploymentSeen[];
  /** Newest events shown; default 20. */
  historyLimit?: number;
  /** Versions listed per model, besides those holding a stage; default 20 (the highest). */
  versionsLimit?: number;
  /** Registry tags the app did not honour (left out of everything above), with why. */
  notHonoured?: readonly NotHonouredTag[];
}

export interface NotHonouredTag {
  tag: string;
  why: string;
}

const NOT_HONOURED_SHOWN = 20;

const STATE_MARK: Record<string, string> = {
  success: '✅',
  failure: '❌',
  error: '❌',
  in_progress: '⏳',
  queued: '⏳',
  pending: '⏳',
  waiting: '⏸️',
  inactive: '💤',
};

function tagLink(tag: string, repoUrl: string | undefined): string {
  return repoUrl ? `[${codeCell(tag)}](${repoUrl}/releases/tag/${encodeURIComponent(tag)})` : codeCell(tag);
}

function commitLink(sha: string, repoUrl: string | undefined): string {
  return repoUrl ? `[${codeCell(shortHash(sha))}](${repoUrl}/commit/${sha})` : codeCell(shortHash(sha));
}

/** The deployments recorded in an earlier body, to carry forward. Unreadable data is dropped. */
export function readDeploymentsSeen(body: string | null | undefined): DeploymentSeen[] {
  const line = (body ?? '').split(/\r?\n/).find((l) => l.startsWith(DEPLOYMENTS_PREFIX) && l.endsWith(' -->'));
  if (!line) return [];
  try {
    const parsed: unknown = JSON.parse(line.slice(DEPLOYMENTS_PREFIX.length, -' -->'.length));
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (d): d is DeploymentSeen =>
        typeof d === 'object' &&
        d !== null &&
        ['environment', 'state', 'ref', 'sha', 'at'].every(
          (k) => typeof (d as Record<string, unknown>)[k] === 'string',
        ),
    );
  } catch {
    return [];
  }
}

/** `seen` with `next` replacing the entry for its environment. */
export function recordDeployment(seen: readonly DeploymentSeen[], next: DeploymentSeen): DeploymentSeen[] {
  return [...seen.filter((d) => d.environment !== next.environment), next].sort((a, b) =>
    a.environment.localeCompare(b.environment),
  );
}

function hiddenDeployments(deployments: readonly DeploymentSeen[]): string {
  // `--` cannot appear in JSON text except inside strings; escape it there so the comment cannot end early.
  return `${DEPLOYMENTS_PREFIX}${JSON.stringify(deployments).replace(/--/g, '-\\u002d')} -->`;
}

function sortedModels(state: RegistryState) {
  return Object.values(state.models).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Models × (latest, stages): what `gto show` prints, as a markdown table under a heading. Past
 * `maxLength` characters the table is cut between rows and says how many models it leaves out.
 */
export function renderModelsTable(
  state: RegistryState,
  configuredStages: readonly string[] = [],
  maxLength = Infinity,
): string {
  const models = sortedModels(state);
  if (models.length === 0) {
    return 'No models are registered yet. Push an annotated tag such as `churn@v0.1.0`, or comment `/cairn register churn --version v0.1.0`.';
  }
  const used = new Set(models.flatMap((m) => Object.keys(m.stages)));
  const stages = [...configuredStages, ...[...used].filter((s) => !configuredStages.includes(s)).sort()];
  const header = ['model', 'latest', ...stages.map(inert)];
  const rows = models.map((m) => [
    `${codeCell(m.name)}${m.deprecated ? ' (deprecated)' : ''}`,
    m.latest ? codeCell(m.latest) : '–',
    ...stages.map((s) => (m.stages[s] ? codeCell(m.stages[s].version) : '–')),
  ]);
  const rendered = ['## Models', '', table([header, ...rows], ['l', 'l', ...stages.map(() => 'l')])].join('\n');
  return truncateText(rendered, maxLength, (dropped) => {
    const left = dropped.split('\n').filter((line) => line.startsWith('|')).length;
    return `_${left.toLocaleString('en-US')} more ${left === 1 ? 'model is' : 'models are'} not listed here, to fit; ${code('cairn registry show')} lists them all._`;
  });
}

export function renderRegistryView(input: RegistryViewInput): string {
  const { state, repoUrl } = input;
  const models = sortedModels(state);
  const deployments = input.deployments ?? [];
  const lines = [
    REGISTRY_ISSUE_MARKER,
    hiddenDeployments(deployments),
    `_Kept up to date by Cairn from the repository's registry tags (${code('name@vX.Y.Z')} registers, ${code('name#stage')} assigns). Edits to this issue are overwritten; change the registry with tags or ${code('/cairn')} commands._`,
    '',
  ];

  lines.push(renderModelsTable(state, input.stages));
  if (deployments.length > 0) {
    const rows = deployments.map((d) => [
      inert(d.environment),
      `${STATE_MARK[d.state] ?? ''} ${inert(d.state)}`.trim(),
      codeCell(d.ref),
      commitLink(d.sha, repoUrl),
      inert(d.at),
      // Set by anyone with deployments: write, and read back from the issue body: a link only into the repository.
      d.url ? repoLink('run', d.url, repoUrl, codeCell) : '',
    ]);
    lines.push(
      '',
      '## Last deployment per environment',
      '',
      table([['environment', 'state', 'ref', 'commit', 'at', ''], ...rows]),
    );
  }

  for (const model of models) {
    if (model.versions.length === 0) continue;
    const { shown, hidden } = versionsToShow(model.versions, input.versionsLimit ?? 20);
    const rows = shown.map((v) => [
      codeCell(v.version),
      v.active ? 'active' : v.registered ? 'deregistered' : 'unregistered',
      v.stages.map(inert).join(', ') || '–',
      commitLink(v.sha, repoUrl),
      tagLink(v.tag, repoUrl),
      inert(v.at),
    ]);
    lines.push(
      '',
      `## ${inert(model.name)}${model.deprecated ? ' (deprecated)' : ''}`,
      '',
      table([['version', 'status', 'stages', 'commit', 'tag', 'at'], ...rows]),
    );
    if (hidden > 0) {
      const releases = repoUrl ? `[releases](${repoUrl}/releases)` : 'releases';
      lines.push(
        '',
        `_${hidden} lower ${hidden === 1 ? 'version is' : 'versions are'} not listed; the ${releases} and ${code('cairn registry show --json')} have them all._`,
      );
    }
  }

  const historyLimit = input.historyLimit ?? 20;
  const history = models
    .flatMap((m) => newestEvents(m.history, historyLimit))
    .sort((a, b) => b.time - a.time || b.entry.tag.localeCompare(a.entry.tag))
    .slice(0, historyLimit)
    .map(({ entry }) => entry);
  if (history.length > 0) {
    const rows = history.map((h) => [
      inert(h.at),
      codeCell(h.name),
      inert(h.event),
      h.version ? codeCell(h.version) : '–',
      h.stage ? inert(h.stage) : '–',
      codeCell(h.tag),
      h.by ? inert(h.by.replace(/\s*<[^>]*>\s*$/, '')) : '–',
    ]);
    lines.push(
      '',
      '## Recent changes',
      '',
      table([['at', 'model', 'event', 'version', 'stage', 'tag', 'by'], ...rows]),
    );
  }
  const left = input.notHonoured ?? [];
  if (left.length > 0) {
    const rows = left.slice(0, NOT_HONOURED_SHOWN).map((t) => [tagLink(t.tag, repoUrl), inert(t.why)]);
    const more =
      left.length > NOT_HONOURED_SHOWN ? ['', `_${left.length - NOT_HONOURED_SHOWN} more are not listed._`] : [];
    lines.push(
      '',
      '## Tags not honoured',
      '',
      '_These tags exist, but the registry above leaves them out; their `cairn registry` check says why._',
      '',
      table([['tag', 'why'], ...rows]),
      ...more,
    );
  }
  lines.push('');
  return truncateText(lines.join('\n'), ISSUE_BODY_LIMIT, '… (cut to fit a GitHub issue)');
}

/**
 * The newest `limit` events of a history (oldest first, as ModelState keeps it), with any others of
 * the same second as the oldest of them, so ties are broken as in a sort of the whole history. A
 * history holds every tag the model ever had; only these few dates are parsed.
 */
function newestEvents(history: readonly HistoryEntry[], limit: number): Array<{ entry: HistoryEntry; time: number }> {
  const newest: Array<{ entry: HistoryEntry; time: number }> = [];
  if (limit <= 0) return newest;
  for (let i = history.length - 1; i >= 0; i--) {
    const time = Date.parse(history[i].at);
    if (newest.length >= limit && time !== newest[newest.length - 1].time) break;
    newest.push({ entry: history[i], time });
  }
  return newest;
}

/**
 * A busy model has hundreds of versions, more than an issue can hold or anyone reads: the highest
 * `limit` are listed (versions come highest first), plus any lower one that holds a stage.
 */
function versionsToShow(versions: readonly VersionState[], limit: number): { shown: VersionState[]; hidden: number } {
  const shown = versions.filter((v, index) => index < limit || v.stages.length > 0);
  return { shown, hidden: versions.length - shown.length };
}
