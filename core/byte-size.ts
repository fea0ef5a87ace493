/** Sizes, rates and durations for people: the CLI's progress line, job summaries, the demo. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** 0 B, 999 B, 1.5 KiB, 12.3 MiB, 120 GiB: binary units (what `du -h` and `ls -lh` mean), 3 significant digits. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '? B';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // 1023.9 KiB would print as "1024 KiB"; show it as the next unit instead.
  if (value >= 999.5 && unit < UNITS.length - 1) return `${(value / 1024).toFixed(2)} ${UNITS[unit + 1]}`;
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${UNITS[unit]}`;
}

/** Bytes over elapsed milliseconds, as `12.3 MiB/s`; `—` before there is anything to measure. */
export function formatRate(bytes: number, elapsedMs: number): string {
  if (elapsedMs <= 0 || bytes <= 0) return '— B/s';
  return `${formatBytes((bytes * 1000) / elapsedMs)}/s`;
}

/** 850 ms, 12.3 s, 4 min 05 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
