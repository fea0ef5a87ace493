import { relative, sep } from 'node:path';
import { formatBytes, formatDuration } from '../../core/byte-size.ts';
import { code, codeCell, formatCount, inert, table } from '../../core/report/index.ts';
import type { PullResult } from '../../core/store/index.ts';

/** What the Actions cache did for this pull. */
export interface RestoredCache {
  /** hit: this exact key; partial: an older entry (by prefix); miss: none. */
  state: 'hit' | 'partial' | 'miss';
  key: string;
  restoredKey?: string;
  saved?: boolean;
}

export type CacheOutcome = { state: 'off' } | { state: 'unavailable' } | RestoredCache;

export interface PullSummaryInput {
  result: PullResult;
  /** Paths are shown relative to it. */
  cwd: string;
  remotes: ReadonlyArray<{ uri: string; source: string }>;
  cache: CacheOutcome;
}

/** Rows beyond this are counted, not listed: a dvc.lock can name hundreds of outputs. */
const MAX_ROWS = 50;

export function renderPullSummary({ result, cwd, remotes, cache }: PullSummaryInput): string {
  const rows = result.outputs
    .slice(0, MAX_ROWS)
    .map((output) => [
      codeCell(shownPath(cwd, output.path) + (output.isDir ? '/' : '')),
      formatCount(output.files),
      formatBytes(output.bytes),
      codeCell(output.md5),
    ]);
  const lines = [
    `### Data pulled: ${formatCount(result.files)} ${result.files === 1 ? 'file' : 'files'} (${formatBytes(result.bytes)})`,
    '',
    table([['Path', 'Files', 'Size', 'Object'], ...rows], ['l', 'r', 'r', 'l']),
  ];
  if (result.outputs.length > MAX_ROWS)
    lines.push('', `…and ${formatCount(result.outputs.length - MAX_ROWS)} more outputs.`);
  lines.push(
    '',
    `Downloaded ${formatCount(result.downloaded.files)} files (${formatBytes(result.downloaded.bytes)}), ` +
      `${formatCount(result.fromCache.files)} from the cache, ${formatCount(result.unchanged.files)} already in place, in ${formatDuration(result.elapsedMs)}.`,
    '',
    `Remote: ${remotes.map((remote) => `${code(remote.uri)} (${inert(remote.source)})`).join(', ')}. Manifest hash ${code(result.manifestHash)}.`,
  );
  const note = cacheNote(cache);
  if (note) lines.push('', note);
  return `${lines.join('\n')}\n`;
}

function cacheNote(cache: CacheOutcome): string | undefined {
  switch (cache.state) {
    case 'off':
      return undefined;
    case 'unavailable':
      return 'Cache: the Actions cache service was not available to this step; nothing was restored or saved.';
    case 'hit':
      return `Cache: restored ${code(cache.key)}.`;
    case 'partial':
      return `Cache: restored the older ${code(cache.restoredKey ?? '')}${cache.saved ? `, saved ${code(cache.key)}` : ''}.`;
    case 'miss':
      return `Cache: nothing to restore${cache.saved ? `; saved ${code(cache.key)}` : ''}.`;
  }
}

function shownPath(cwd: string, path: string): string {
  const shown = relative(cwd, path) || '.';
  return sep === '/' ? shown : shown.split(sep).join('/');
}
