import { spawnSync } from 'node:child_process';

export interface Measurement {
  wallSeconds: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs a command under GNU time: wall-clock seconds and peak resident memory of the whole process. */
export function measure(command: string[], env: NodeJS.ProcessEnv = process.env): Measurement {
  const result = spawnSync('/usr/bin/time', ['-f', 'CAIRN_TIME %e %M', ...command], {
    encoding: 'utf8',
    env,
    maxBuffer: 64 << 20,
  });
  const line = result.stderr.split('\n').find((l) => l.startsWith('CAIRN_TIME '));
  if (result.status !== 0 || !line) {
    throw new Error(`${command.join(' ')} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
  }
  const [, wall, rssKb] = line.split(' ');
  return { wallSeconds: Number(wall), peakRssMb: Number(rssKb) / 1024, stdout: result.stdout };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Replaces the section between `<!-- bench:<name>:start -->` and its end marker, or appends it. */
export function replaceSection(document: string, name: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from >= 0 && to > from) return document.slice(0, from) + section + document.slice(to + end.length);
  return `${document.trimEnd()}\n\n${section}\n`;
}
