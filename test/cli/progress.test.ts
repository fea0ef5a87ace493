import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CliIO } from '../../cli/io.ts';
import { barLine, progressDisplay, type TransferSnapshot } from '../../cli/progress.ts';

function fakeIO(tty: boolean): CliIO & { err: string } {
  const io = { err: '', stdout: () => {}, stderr: (text: string) => void (io.err += text), env: {}, cwd: '/', stderrIsTTY: tty, stderrColumns: 200 };
  return io;
}

const at = (filesDone: number, elapsedMs: number): TransferSnapshot => ({ filesDone, filesTotal: 10, bytesDone: filesDone * 1024, bytesTotal: 10 * 1024, bytesDownloaded: filesDone * 1024, elapsedMs });

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
    assert.deepEqual(frames.map((frame) => frame.match(/ (\d+)\/10 files/)?.[1]), ['4', '8', '10']);
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
    assert.deepEqual(lines.map((line) => line.match(/^pull: (\d+)/)?.[1]), ['4', '8', '10']);
    assert.match(lines[2], /^pull: 10 files, 10\.0 KiB in 15\.0 s; 10\.0 KiB downloaded \(683 B\/s\)$/);

    const quiet = fakeIO(false);
    const silent = progressDisplay(quiet, { verb: 'pull', enabled: false });
    silent.update(at(5, 10_000));
    silent.finish(at(10, 20_000));
    assert.equal(quiet.err, '');
  });

  test('the bar shows share, files, bytes and rate', () => {
    assert.equal(barLine('pull', at(5, 1000)), 'pull [==========>         ]  50%  5/10 files  5.00 KiB / 10.0 KiB  5.00 KiB/s');
  });
});
