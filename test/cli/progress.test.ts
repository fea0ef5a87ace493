import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CliIO } from '../../cli/io.ts';
import {
  barLine,
  etaMs,
  logLine,
  progressDisplay,
  type ProgressDisplay,
  type TransferSnapshot,
} from '../../cli/progress.ts';

function fakeIO(tty: boolean, env: NodeJS.ProcessEnv = {}): CliIO & { err: string } {
  const io = {
    err: '',
    stdout: () => {},
    stderr: (text: string) => void (io.err += text),
    env,
    cwd: '/',
    stderrIsTTY: tty,
    stderrColumns: 200,
  };
  return io;
}

/** One 64 MiB file arriving over `seconds` seconds, a snapshot every 100 ms. */
function oneLargeFile(seconds: number): TransferSnapshot[] {
  const total = 64 << 20;
  const steps = seconds * 10;
  return Array.from({ length: steps + 1 }, (_, step) => {
    const bytes = Math.round((total * step) / steps);
    return {
      filesDone: step === steps ? 1 : 0,
      filesTotal: 1,
      bytesDone: bytes,
      bytesTotal: total,
      bytesDownloaded: bytes,
      elapsedMs: step * 100,
    };
  });
}

/** Shows one large file arriving over `seconds` on `io`, the display's clock following the snapshots; `during` runs after each. */
function showLargeFile(
  io: CliIO,
  seconds: number,
  during: (progress: ProgressDisplay, clock: number) => void = () => {},
): ProgressDisplay {
  let clock = 0;
  const progress = progressDisplay(io, { verb: 'pull', enabled: true, now: () => clock });
  for (const snapshot of oneLargeFile(seconds)) {
    clock = snapshot.elapsedMs;
    progress.update(snapshot);
    during(progress, clock);
  }
  return progress;
}

/** A carriage return or the start of an escape sequence. */
const hasControl = (text: string) => text.includes('\r') || text.includes('\x1b');

const at = (filesDone: number, elapsedMs: number): TransferSnapshot => ({
  filesDone,
  filesTotal: 10,
  bytesDone: filesDone * 1024,
  bytesTotal: 10 * 1024,
  bytesDownloaded: filesDone * 1024,
  elapsedMs,
});

describe('cli progress', () => {
  test('a terminal gets one line redrawn in place, at most every 100 ms, cleared at the end', () => {
    const io = fakeIO(true);
    let clock = 0;
    const progress = progressDisplay(io, { verb: 'pull', enabled: true, now: () => clock });
    for (let file = 1; file <= 10; file++) {
      clock += 30;
      progress.update(at(file, clock));
    }
    progress.finish(at(10, clock));
    const frames = io.err.split('\r\x1b[K').filter(Boolean);
    assert.equal(io.err.includes('\n'), false, 'never a new line on a terminal');
    assert.deepEqual(
      frames.map((frame) => frame.match(/ (\d+)\/10 files/)?.[1]),
      ['4', '8', '10'],
    );
    assert.ok(io.err.endsWith('\r\x1b[K'), 'the bar is gone when the summary prints');
  });

  test('a log line written during a transfer does not tear the bar', () => {
    const io = fakeIO(true);
    const progress = progressDisplay(io, { verb: 'pull', enabled: true, now: () => 1000 });
    progress.update(at(10, 5));
    progress.stderr('warning: retrying\n');
    const clear = '\r\x1b[K';
    assert.ok(io.err.includes(`${clear}warning: retrying\n${clear}pull [`), JSON.stringify(io.err));
  });

  test('a log (CI) gets a line every 5 s at most and a final line; --quiet gets nothing', () => {
    const io = fakeIO(false);
    let clock = 0;
    const progress = progressDisplay(io, { verb: 'pull', enabled: true, now: () => clock });
    for (let file = 1; file <= 10; file++) {
      clock += 1500;
      progress.update(at(file, clock));
    }
    progress.finish(at(10, clock));
    const lines = io.err.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => line.match(/^pull: (\d+)/)?.[1]),
      ['4', '8', '10'],
    );
    assert.match(lines[2], /^pull: 10 files, 10\.0 KiB in 15\.0 s; 10\.0 KiB downloaded \(683 B\/s\)$/);

    const quiet = fakeIO(false);
    const silent = progressDisplay(quiet, { verb: 'pull', enabled: false });
    silent.update(at(5, 10_000));
    silent.finish(at(10, 20_000));
    assert.equal(quiet.err, '');
  });

  test('the bar shows share, bytes, ETA, rate and files, what matters most first', () => {
    assert.equal(
      barLine('pull', at(5, 1000)),
      'pull [==========>         ]  50%  5.00 KiB / 10.0 KiB  ETA 1.0 s  5.00 KiB/s  5/10 files',
    );
    assert.equal(
      logLine('pull', at(5, 1000)),
      'pull: 5/10 files, 5.00 KiB / 10.0 KiB (50%), 5.00 KiB/s, 1.0 s, ETA 1.0 s',
    );
  });

  test('the ETA is the time left at the pace so far; none in the first second, at the end, or without a total', () => {
    assert.equal(etaMs({ ...at(0, 3000), bytesDone: 2560 }), 9000, 'a quarter in 3 s: 9 s to go');
    assert.equal(etaMs(at(5, 900)), undefined);
    assert.equal(etaMs(at(10, 5000)), undefined);
    assert.equal(etaMs({ ...at(5, 5000), bytesTotal: 0 }), undefined);
    assert.equal(etaMs(at(0, 5000)), undefined, 'nothing arrived yet: no pace');
  });

  test('one large file moves the bar as its bytes arrive, with the ETA', () => {
    const io = fakeIO(true);
    showLargeFile(io, 4);
    const frames = io.err.split('\r\x1b[K').filter(Boolean);
    const inFile = frames.filter((frame) => frame.includes('0/1 files'));
    assert.ok(inFile.length >= 30, `${inFile.length} redraws before the file was done`);
    const percents = inFile.map((frame) => Number(/\]\s+(\d+)%/.exec(frame)?.[1]));
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      'never backwards',
    );
    assert.ok(percents.at(-1)! >= 90, `reached ${percents.at(-1)}% within the file`);
    assert.match(inFile.at(-1)!, /ETA \d+ ms/);
  });

  test('a log gets a line every 5 s within a large file too, with its ETA', () => {
    const io = fakeIO(false);
    showLargeFile(io, 12);
    const lines = io.err.trimEnd().split('\n');
    assert.equal(lines.length, 2, io.err);
    assert.match(lines[0], /^pull: 0\/1 files, 26\.\d MiB \/ 64\.0 MiB \(41%\), .*, 5\.0 s, ETA 7\.0 s$/);
    assert.match(lines[1], /^pull: 0\/1 files, 53\.\d MiB \/ 64\.0 MiB \(83%\), .*, 10\.0 s, ETA 2\.0 s$/);
  });

  test('TERM=dumb: a terminal that cannot redraw gets log lines, with no \\r or escape sequence', () => {
    const io = fakeIO(true, { TERM: 'dumb' });
    const progress = showLargeFile(io, 6, (display, clock) => clock === 3000 && display.stderr('warning: retrying\n'));
    progress.finish(oneLargeFile(6).at(-1));
    assert.equal(hasControl(io.err), false, JSON.stringify(io.err));
    const lines = io.err.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => line.replace(/,.*/, '')),
      ['warning: retrying', 'pull: 0/1 files', 'pull: 1 file'],
    );

    const terminal = fakeIO(true, { TERM: 'xterm-256color' });
    let tick = 0;
    progressDisplay(terminal, { verb: 'pull', enabled: true, now: () => (tick += 500) }).update(at(5, 1000));
    assert.equal(hasControl(terminal.err), true, 'any other terminal still gets the bar');
  });
});
