/**
 * bench/app/body-limit: the app's memory while one 1 GiB POST that is not signed with the webhook
 * secret (every header a delivery has, a made-up signature) arrives: what app/body-limit.ts bounds. Starts `node dist/app.js` (or `--entry FILE`, an older build to compare with) as its own
 * process, sends the body twice to the webhook path (once declaring its `content-length`, once
 * chunked), and samples the process's resident memory (VmRSS) every 20 ms meanwhile.
 *
 *   npm run build --silent && npx tsx bench/app/body-limit.ts [--gib N] [--entry dist/app.js]
 *
 * Prints a markdown table; Linux only (reads /proc).
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { startAppProcess, WEBHOOK_PATH } from '../../test/e2e/support/app-process.ts';

const { values } = parseArgs({
  options: { gib: { type: 'string', default: '1' }, entry: { type: 'string', default: 'dist/app.js' } },
});
const total = Number(values.gib) * (1 << 30);
const chunk = Buffer.alloc(1 << 20, 0x20);

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

/** Sends `total` bytes (or until the app closes the connection); what was sent, the answer, the time. */
function post(url: string, declare: boolean): Promise<{ sentMiB: number; status: number | string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    let sent = 0;
    let status: number | string = 'connection closed';
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': 'unsigned',
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    };
    if (declare) headers['content-length'] = String(total);
    else headers['transfer-encoding'] = 'chunked';
    const req = request(`${url}${WEBHOOK_PATH}`, { method: 'POST', headers });
    const done = () => resolve({ sentMiB: sent / (1 << 20), status, seconds: (performance.now() - started) / 1000 });
    req.on('response', (res) => {
      status = res.statusCode ?? 'none';
      res.resume();
      res.on('end', () => req.destroy());
    });
    req.on('error', () => undefined); // EPIPE or ECONNRESET once the app closes; 'close' follows
    req.on('close', done);
    const pump = () => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

const app = await startAppProcess({ gheHost: '127.0.0.1:9', nodeArgs: [values.entry], keepOutput: false });
const pid = app.child.pid as number;
try {
  const idle = rssMiB(pid);
  const rows: string[] = [];
  for (const declare of [true, false]) {
    let peak = rssMiB(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 20);
    const result = await post(app.url, declare);
    await new Promise((resolve) => setTimeout(resolve, 200));
    clearInterval(sampler);
    peak = Math.max(peak, rssMiB(pid));
    rows.push(
      `| ${declare ? '`content-length`' : 'chunked'} | ${result.status} | ${result.sentMiB.toFixed(0)} | ${result.seconds.toFixed(2)} | ${peak.toFixed(0)} |`,
    );
  }
  console.log(
    `\`${values.entry}\`: RSS ${idle.toFixed(0)} MB before the first POST, unsigned ${values.gib} GiB POSTs to ${WEBHOOK_PATH}\n`,
  );
  console.log(
    '| body sent as | answer | MiB the client got to send | s | peak RSS MB |\n| --- | --- | ---: | ---: | ---: |',
  );
  console.log(rows.join('\n'));
} finally {
  await app.stop();
}
