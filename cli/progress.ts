/**
 * Transfer progress on stderr. On a terminal: one line redrawn in place (`\r`), at most ten times a
 * second. Elsewhere (CI logs, pipes, and a terminal that says TERM=dumb, which cannot redraw): a
 * line every 5 s at most, so a long pull shows it is alive without flooding the log, and a final
 * line; no control character. Both advance within a large file and show an ETA. stdout is never
 * touched: it holds the result.
 */
import { formatBytes, formatDuration, formatRate } from '../core/byte-size.ts';
import type { CliIO } from './io.ts';

export interface TransferSnapshot {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Pulls: bytes that came over the network (the rate shown); otherwise bytesDone is. */
  bytesDownloaded?: number;
  elapsedMs: number;
}

export interface ProgressDisplay {
  update(progress: TransferSnapshot): void;
  /** Writes log text to stderr without tearing the bar. */
  stderr(text: string): void;
  /** Removes the bar; with the final numbers, log mode writes its last line. Call it on failure too. */
  finish(final?: TransferSnapshot): void;
}

export interface ProgressOptions {
  /** `pull`, `push`: the line starts with it. */
  verb: string;
  /** False with --quiet: nothing is drawn. */
  enabled: boolean;
  now?: () => number;
  logIntervalMs?: number;
  redrawIntervalMs?: number;
}

const CLEAR_LINE = '\r\x1b[K';
const BAR_WIDTH = 20;

export function progressDisplay(io: CliIO, options: ProgressOptions): ProgressDisplay {
  const now = options.now ?? (() => performance.now());
  const tty = io.stderrIsTTY === true && io.env.TERM !== 'dumb';
  const interval = tty ? (options.redrawIntervalMs ?? 100) : (options.logIntervalMs ?? 5000);
  let last = now();
  let drawn = ''; // the bar on screen (TTY), for redrawing after a log line
  const draw = (line: string) => {
    // A pseudo-terminal may report 0 columns: assume 80 then.
    const width = Math.max(20, (io.stderrColumns || 80) - 1);
    drawn = line.length > width ? line.slice(0, width) : line;
    io.stderr(`${CLEAR_LINE}${drawn}`);
  };
  return {
    update(progress) {
      if (!options.enabled) return;
      const at = now();
      if (at - last < interval && progress.filesDone < progress.filesTotal) return;
      if (!tty && progress.filesDone >= progress.filesTotal) return; // the final line says it
      last = at;
      if (tty) draw(barLine(options.verb, progress));
      else io.stderr(`${logLine(options.verb, progress)}\n`);
    },
    stderr(text) {
      if (!drawn) return io.stderr(text);
      io.stderr(`${CLEAR_LINE}${text}`);
      draw(drawn);
    },
    finish(final) {
      if (drawn) io.stderr(CLEAR_LINE);
      drawn = '';
      if (options.enabled && final && !tty) io.stderr(`${doneLine(options.verb, final)}\n`);
    },
  };
}

function rateOf(progress: TransferSnapshot): string {
  return formatRate(progress.bytesDownloaded ?? progress.bytesDone, progress.elapsedMs);
}

function fraction(progress: TransferSnapshot): number {
  if (progress.bytesTotal > 0) return Math.min(1, progress.bytesDone / progress.bytesTotal);
  return progress.filesTotal > 0 ? progress.filesDone / progress.filesTotal : 0;
}

/** An estimate from the first second would swing wildly: none before it. */
const ETA_AFTER_MS = 1000;

/**
 * Time left at the pace so far (bytes in place per elapsed time), or undefined before there is a
 * pace to go by or when the total is unknown.
 */
export function etaMs(progress: TransferSnapshot): number | undefined {
  const { bytesDone, bytesTotal, elapsedMs } = progress;
  if (bytesTotal <= 0 || bytesDone <= 0 || bytesDone >= bytesTotal || elapsedMs < ETA_AFTER_MS) return undefined;
  return ((bytesTotal - bytesDone) * elapsedMs) / bytesDone;
}

function eta(progress: TransferSnapshot): string {
  const left = etaMs(progress);
  return left === undefined ? '' : `ETA ${formatDuration(left)}`;
}

/**
 * `pull [=========>          ]  45%  1.20 MiB / 2.67 MiB  ETA 4.9 s  5.10 MiB/s  3/12 files`: on a
 * narrow terminal the end is cut, so what matters most comes first.
 */
export function barLine(verb: string, progress: TransferSnapshot): string {
  const share = fraction(progress);
  const filled = Math.floor(share * BAR_WIDTH);
  const bar =
    filled >= BAR_WIDTH ? '='.repeat(BAR_WIDTH) : `${'='.repeat(filled)}>${' '.repeat(BAR_WIDTH - filled - 1)}`;
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  const fields = [
    `${verb} [${bar}] ${percent}`,
    sizes(progress),
    eta(progress),
    rateOf(progress),
    `${progress.filesDone}/${progress.filesTotal} files`,
  ];
  return fields.filter(Boolean).join('  ');
}

/** `pull: 3/12 files, 1.20 MiB / 2.67 MiB (45%), 5.10 MiB/s, 4.0 s, ETA 4.9 s` */
export function logLine(verb: string, progress: TransferSnapshot): string {
  const percent = Math.floor(fraction(progress) * 100);
  const fields = [
    `${progress.filesDone}/${progress.filesTotal} files`,
    `${sizes(progress)} (${percent}%)`,
    rateOf(progress),
    formatDuration(progress.elapsedMs),
    eta(progress),
  ];
  return `${verb}: ${fields.filter(Boolean).join(', ')}`;
}

/** `pull: 12 files, 2.67 MiB in 1.2 s; 1.00 MiB downloaded (5.10 MiB/s)`; `push: 3 files, 1.00 MiB in 0.4 s (2.50 MiB/s)` */
export function doneLine(verb: string, progress: TransferSnapshot): string {
  const head = `${verb}: ${progress.filesDone} ${progress.filesDone === 1 ? 'file' : 'files'}, ${formatBytes(progress.bytesDone)} in ${formatDuration(progress.elapsedMs)}`;
  if (progress.bytesDownloaded === undefined) return `${head} (${rateOf(progress)})`;
  if (progress.bytesDownloaded === 0) return `${head}; nothing downloaded`;
  return `${head}; ${formatBytes(progress.bytesDownloaded)} downloaded (${rateOf(progress)})`;
}

function sizes(progress: TransferSnapshot): string {
  return progress.bytesTotal > 0
    ? `${formatBytes(progress.bytesDone)} / ${formatBytes(progress.bytesTotal)}`
    : formatBytes(progress.bytesDone);
}
