/**
 * bench/app: signed webhook deliveries over loopback to the app running as its own process (pinned
 * to one core with taskset where it exists), with GitHub answered by the in-memory fake of
 * test/e2e (every request checked against GitHub's OpenAPI description, in this process, on the
 * other cores). What is measured per delivery: from sending the signed POST to reading the app's
 * answer. Probot answers only after every handler for the delivery has finished (it would answer
 * 202 after 9 s; such answers are counted, never taken as done), so this is the app's whole
 * handling time, GitHub round trips included.
 *
 * Servers, each a fresh process against a fresh fake repository:
 *   floor        Probot with no app loaded: signature check and webhook plumbing only (the peer);
 *   unthrottled  the Cairn app server with Probot's Octokit throttling off;
 *   as shipped   `node dist/app.js`, exactly what `npm run app` runs: Probot's throttling on, which
 *                spaces every write request one second apart process-wide (@octokit/plugin-throttling's
 *                write limiter), so it runs on fewer deliveries.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { CONFIG, fakeRepo, shaOf, type FakeRepo } from '../../test/app/support/fake-repo.ts';
import { commentPayload, pushPayload } from '../../test/app/support/payloads.ts';
import { sampleReport } from '../../test/core/github/sample-report.ts';
import { hasTaskset, startAppProcess } from '../../test/e2e/support/app-process.ts';
import { startFakeGithub } from '../../test/e2e/support/fake-github.ts';

export interface AppBenchOptions {
  deliveries: number;
  concurrency: number;
  /** Deliveries for the as-shipped (throttled) server. */
  throttledDeliveries: number;
}

interface Delivery {
  kind: 'registration' | 'assignment' | 'show' | 'branch push';
  name: string;
  payload: unknown;
}

interface RunResult {
  server: string;
  deliveries: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
  notOk: number;
  violations: number;
  /** CPU seconds per wall second during the measured run: the app process, and this one (client + fake GitHub). */
  appCpu: number;
  benchCpu: number;
}

/** CPU seconds a process has used so far (Linux /proc; 0 elsewhere). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/**
 * The mix: of every 10 deliveries, 1 registration tag push and 1 assignment tag push (each a new
 * tag, so each does the full work: check run, release or dispatch, registry issue), 3 `/cairn show`
 * comments (spread over 50 issues) and 5 branch pushes (most of a busy repository's traffic, which
 * the app drops before any API call). The tags are created in the fake before the run, as git would
 * have them when GitHub sends the push.
 */
function makeDeliveries(repo: FakeRepo, count: number, start: number): Delivery[] {
  const list: Delivery[] = [];
  for (let i = start; i < start + count; i++) {
    const slot = i % 10;
    const version = Math.floor(i / 10);
    const sha = shaOf(`bench commit ${version}`);
    if (slot === 0) {
      repo.setConfig(CONFIG, sha);
      repo.addRecord(sha, sampleReport());
      repo.addTag(`churn@v1.${version}.0`, sha);
      list.push({ kind: 'registration', name: 'push', payload: pushPayload(`refs/tags/churn@v1.${version}.0`) });
    } else if (slot === 5) {
      repo.addTag(`churn#staging#${version + 1}`, sha);
      list.push({ kind: 'assignment', name: 'push', payload: pushPayload(`refs/tags/churn#staging#${version + 1}`) });
    } else if (slot === 2 || slot === 4 || slot === 7) {
      list.push({ kind: 'show', name: 'issue_comment', payload: commentPayload('/cairn show', { id: 100_000 + i, issueNumber: 100 + (i % 50), login: 'reader' }) });
    } else {
      list.push({ kind: 'branch push', name: 'push', payload: pushPayload('refs/heads/main', { after: shaOf(`branch ${i}`) }) });
    }
  }
  return list;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function runServer(server: string, nodeArgs: string[] | undefined, options: { deliveries: number; warmup: number; concurrency: number; env?: Record<string, string> }): Promise<RunResult> {
  const fake = await startFakeGithub();
  const repo = fakeRepo(fake.gh);
  repo.setConfig(CONFIG);
  const warmup = makeDeliveries(repo, options.warmup, 0);
  const measured = makeDeliveries(repo, options.deliveries, options.warmup);
  const app = await startAppProcess({ gheHost: fake.host, nodeArgs, cpus: '0', keepOutput: false, env: options.env });
  try {
    let id = 0;
    const send = async (delivery: Delivery) => {
      const started = performance.now();
      const answer = await app.deliver(delivery.name, delivery.payload, { id: `${server}-${id++}` });
      return { ms: performance.now() - started, ok: answer.status === 200 };
    };
    const drive = async (list: Delivery[]) => {
      const times: number[] = [];
      let notOk = 0;
      let next = 0;
      const worker = async () => {
        while (next < list.length) {
          const result = await send(list[next++]);
          times.push(result.ms);
          if (!result.ok) notOk++;
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      return { times, notOk, seconds: (performance.now() - started) / 1000 };
    };
    await drive(warmup);
    const appCpuBefore = cpuSecondsOf(app.child.pid!);
    const benchCpuBefore = process.cpuUsage();
    const { times, notOk, seconds } = await drive(measured);
    const appCpu = (cpuSecondsOf(app.child.pid!) - appCpuBefore) / seconds;
    const benchUsage = process.cpuUsage(benchCpuBefore);
    const benchCpu = (benchUsage.user + benchUsage.system) / 1e6 / seconds;
    const sorted = times.sort((a, b) => a - b);
    return {
      server,
      deliveries: times.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1],
      perSecond: times.length / seconds,
      notOk,
      violations: fake.gh.violations.length,
      appCpu,
      benchCpu,
    };
  } finally {
    await app.stop();
    await fake.close();
    if (fake.gh.violations.length > 0) console.error(`${server}: ${fake.gh.violations.length} request(s) GitHub would reject, first: ${fake.gh.violations[0]}`);
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export async function benchApp(options: AppBenchOptions): Promise<{ markdown: string; ok: boolean }> {
  const pinned = hasTaskset() && cpus().length > 1;
  // The app gets core 0; this process (client and fake GitHub) the others, so they do not compete.
  if (pinned) spawnSync('taskset', ['-a', '-p', '-c', `1-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
  const tsx = ['--import', 'tsx', 'bench/app/server.ts'];
  const floor = await runServer('floor', tsx, { deliveries: options.deliveries, warmup: 100, concurrency: options.concurrency, env: { BENCH_SERVER: 'floor' } });
  const cairn = await runServer('unthrottled', tsx, { deliveries: options.deliveries, warmup: 100, concurrency: options.concurrency, env: { BENCH_SERVER: 'unthrottled' } });
  const shipped = await runServer('as shipped', undefined, { deliveries: options.throttledDeliveries, warmup: 10, concurrency: options.concurrency });

  const ok = cairn.p99 < 50 && cairn.perSecond >= 300 && [floor, cairn, shipped].every((r) => r.notOk === 0 && r.violations === 0);
  const row = (r: RunResult, label: string) =>
    `| ${label} | ${r.deliveries} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.perSecond.toFixed(0)}/s | ${r.notOk} | ${r.violations} | ${r.appCpu.toFixed(2)} / ${r.benchCpu.toFixed(2)} |`;
  const markdown = [
    `### bench/app — ${options.deliveries} signed deliveries on loopback, ${options.concurrency} in flight, app process ${pinned ? 'pinned to one core (taskset -c 0)' : 'NOT pinned (no taskset or one CPU)'}`,
    '',
    'Per delivery: from sending the signed POST to the app\'s answer, which Probot sends after every handler finished, GitHub round trips to the fake included. Mix per 10 deliveries: 1 registration tag push (check run, release, registry issue), 1 assignment tag push (check run, workflow dispatch, registry issue), 3 `/cairn show` comments, 5 branch pushes; each tag new, the registry growing to ' +
      `${Math.ceil(options.deliveries / 5) + 20} tags. 100 warm-up deliveries first (10 for the throttled run), not counted.`,
    '',
    '| server | deliveries | p50 | p99 | max | deliveries/s | not 200 | requests GitHub would reject | CPU busy: app / client+fake |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    row(floor, 'peer: Probot, no app loaded (signature check only)'),
    row(cairn, '**Cairn app, Octokit throttling off**'),
    row(shipped, 'Cairn app as shipped (`node dist/app.js`, throttling on)'),
    '',
    `Cairn (throttling off) vs the Probot floor: p50 ${(cairn.p50 / floor.p50).toFixed(1)}x, throughput ${(cairn.perSecond / floor.perSecond).toFixed(2)}x. ` +
      `Target: p99 under 50 ms and at least 300 deliveries/s (throttling off): ${cairn.p99 < 50 && cairn.perSecond >= 300 ? 'met' : 'NOT met'}.`,
    '',
    'As shipped, Probot\'s Octokit throttling (@octokit/plugin-throttling) lets one write request start per second in the whole process, whatever the installation, so a registry change (4 writes) takes about 3 s and the app sustains about one registry change per 4 s; reads and deliveries that write nothing are not slowed. That limit is GitHub\'s secondary-rate-limit advice, not a cost of Cairn.',
    '',
    'CPU busy is CPU seconds per wall second: near 1.00 for the app means its one core was the limit; near 1.00 for the client+fake column means the load generator (signing, HTTP, and the fake\'s OpenAPI check of every request) was, and the app figures are then a lower bound.',
    '',
    'Command: `npm run bench -- --only app [--deliveries N] [--concurrency N]`.',
  ].join('\n');
  return { markdown, ok };
}
