import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, median, type Measurement } from '../measure.ts';

const RUNS = 3;
const PYTHON = '/usr/bin/python3';

export interface DriftBench {
  markdown: string;
  ok: boolean;
}

interface Scored {
  kind: string;
  test: string;
  score: number;
  drifted: boolean;
}

/** Whether Debian's pandas and scipy are there: without them the peer is skipped, not the bench. */
function peerAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import pandas, scipy'], { stdio: 'ignore' }).status === 0;
}

/** Column by column: same kind, test and verdict, scores within the 1e-9 + 1e-6·|peer|. */
function disagreements(cairn: Record<string, Scored>, peer: Record<string, Scored>): string[] {
  const problems: string[] = [];
  for (const [name, theirs] of Object.entries(peer)) {
    const ours = cairn[name];
    if (!ours) problems.push(`${name}: missing from cairn's report`);
    else if (ours.kind !== theirs.kind || ours.test !== theirs.test || ours.drifted !== theirs.drifted)
      problems.push(
        `${name}: ${ours.kind}/${ours.test}/${ours.drifted} vs ${theirs.kind}/${theirs.test}/${theirs.drifted}`,
      );
    else if (Math.abs(ours.score - theirs.score) > 1e-9 + 1e-6 * Math.abs(theirs.score))
      problems.push(`${name}: score ${ours.score} vs ${theirs.score}`);
  }
  return problems;
}

/**
 * bench/drift: `cairn drift` (the built dist/cli.js) on 1M reference × 1M current rows × 20 columns of CSV against
 * the same tests in pandas + scipy, alternating in one run; reports both times, the ratio, peak memory and whether
 * every column's score agrees.
 */
export async function benchDrift(rows: number): Promise<DriftBench> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-drift-'));
  try {
    measure([process.execPath, 'bench/drift/make-data.mjs', dir, String(rows)]);
    const reference = join(dir, 'reference.csv');
    const current = join(dir, 'current.csv');
    const report = join(dir, 'drift.json');
    const cairnCommand = [
      process.execPath,
      'dist/cli.js',
      'drift',
      '--reference',
      reference,
      '--current',
      current,
      '--out',
      report,
      '--quiet',
    ];
    const withPeer = peerAvailable();
    const cairn: Measurement[] = [];
    const python: Measurement[] = [];
    for (let i = 0; i < RUNS; i++) {
      cairn.push(measure(cairnCommand));
      if (withPeer) python.push(measure([PYTHON, 'bench/drift/peer.py', reference, current]));
    }
    const ours = JSON.parse(readFileSync(report, 'utf8')) as {
      columns: (Scored & { name: string })[];
      dataset: { drifted: boolean; drifted_columns: number; columns: number };
    };
    const wall = (runs: Measurement[]) => median(runs.map((m) => m.wallSeconds));
    const rss = (runs: Measurement[]) => Math.max(...runs.map((m) => m.peakRssMb));
    const memoryOk = rss(cairn) <= 400;
    const lines = [
      `### bench/drift — ${rows.toLocaleString('en')} reference x ${rows.toLocaleString('en')} current rows x 20 columns (CSV), median of ${RUNS} runs`,
      '',
      '| contender | wall s | inner s | peak RSS MB |',
      '| --- | ---: | ---: | ---: |',
      `| \`cairn drift\` (end to end: read both files, every column's default test, write drift.json) | ${wall(cairn).toFixed(2)} | | ${rss(cairn).toFixed(0)} |`,
    ];
    if (!withPeer) {
      lines.push(
        '',
        `Python peer skipped: ${PYTHON} cannot import pandas and scipy (apt-get install python3-pandas python3-scipy).`,
        `Cairn peak memory ${rss(cairn).toFixed(0)} MB (target <= 400 MB): ${memoryOk ? 'met' : 'NOT met'}; no ratio without the peer.`,
      );
      return { markdown: lines.join('\n'), ok: memoryOk };
    }
    const peer = JSON.parse(python[python.length - 1]!.stdout) as {
      columns: Record<string, Scored>;
      dataset_drifted: boolean;
    };
    const inner = median(
      python.map((m) => (JSON.parse(m.stdout) as { seconds_after_imports: number }).seconds_after_imports),
    );
    const problems = disagreements(Object.fromEntries(ours.columns.map((c) => [c.name, c])), peer.columns);
    if (ours.dataset.drifted !== peer.dataset_drifted) problems.push('dataset verdict differs');
    const ratio = wall(cairn) / wall(python);
    const ok = ratio <= 0.5 && memoryOk && problems.length === 0;
    lines.push(
      `| Python peer (pandas read_csv + scipy ks_2samp / wasserstein_distance / chisquare / jensenshannon, same tests) | ${wall(python).toFixed(2)} | ${inner.toFixed(2)} after imports | ${rss(python).toFixed(0)} |`,
      '',
      `Cairn / Python wall ratio: **${ratio.toFixed(2)}x** (target <= 0.5x); Cairn peak memory ${rss(cairn).toFixed(0)} MB (target <= 400 MB); ` +
        `${ours.columns.length} columns, ${ours.dataset.drifted_columns} drifted, dataset ${ours.dataset.drifted ? 'drifted' : 'not drifted'}; ` +
        (problems.length === 0
          ? 'every column agrees with the peer (kind, test, verdict, score within 1e-9 + 1e-6·|peer|)'
          : `DISAGREES with the peer: ${problems.join('; ')}`) +
        `: ${ok ? 'met' : 'NOT met'}.`,
    );
    return { markdown: lines.join('\n'), ok };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
