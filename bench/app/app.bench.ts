/**
 * bench/app: the app as shipped (`node dist/app.js`, Probot's Octokit throttling on, as `npm run
 * app` runs it) measured by what bounds it in production: GitHub's limits, not its CPU. Signed
 * deliveries go over loopback to the app as its own process (pinned to one core where taskset
 * exists); GitHub is the in-memory fake of bench/app/installations.ts, which logs every request
 * with its status. Two runs, each on a fresh app process:
 *
 *   per event   one installation; a warm-up round of every event kind (token, app identity and
 *               caches as a long-running app has them), then `rounds` measured rounds, one delivery
 *               at a time: requests sent per delivery, how many count against the primary rate
 *               limit (a 304 is sent but does not count), writes, and the delivery's time. The time
 *               from an assignment tag push to its workflow dispatch request is measured with the
 *               installation's write limiter idle (3 s after the previous write);
 *   parallel    `installations` installations, each with its own repository; each pushes a
 *               registration tag at once, against one installation pushing one alone: the
 *               throttle's write limiter is per installation, so they should proceed in parallel.
 *
 * A delivery's time runs from sending the signed POST to the app's answer, which Probot sends once
 * every handler finished, or 202 after 9 s: such answers are counted, and the delivery then lasts
 * until its last request to GitHub (the run waits for GitHub to go quiet).
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { CONFIG, shaOf } from '../../test/app/support/fake-repo.ts';
import { commentPayload, protectionRulePayload } from '../../test/app/support/payloads.ts';
import { sampleReport } from '../../test/core/github/sample-report.ts';
import { hasTaskset, startAppProcess, type AppProcess } from '../../test/e2e/support/app-process.ts';
import { startFakeInstallations, type Answered, type FakeInstallations, type Installation } from './installations.ts';

export interface AppBenchOptions {
  /** Measured rounds of every event kind, and of the parallel run. */
  rounds: number;
  /** Installations pushing at once in the parallel run. */
  installations: number;
}

const KINDS = [
  'registration tag push',
  'assignment tag push',
  '`/cairn promote` comment',
  'push of the tag `/cairn promote` made',
  '`/cairn show` comment',
  'deployment protection rule',
] as const;
type Kind = (typeof KINDS)[number];

interface Measured {
  kind: Kind;
  status: number;
  ms: number;
  requests: Answered[];
  /** Milliseconds from sending the delivery to the workflow dispatch request reaching GitHub. */
  dispatchMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until GitHub has seen no request for `ms`. */
async function quiet(fake: FakeInstallations, ms: number): Promise<void> {
  for (;;) {
    const last = fake.log.at(-1)?.at ?? 0;
    const idle = performance.now() - last;
    if (idle >= ms) return;
    await sleep(ms - idle);
  }
}

const counted = (requests: readonly Answered[]) => requests.filter((r) => r.status !== 304);
const writes = (requests: readonly Answered[]) => requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');

async function deliver(
  app: AppProcess,
  fake: FakeInstallations,
  kind: Kind,
  name: string,
  payload: unknown,
): Promise<Measured> {
  const from = fake.log.length;
  const started = performance.now();
  const { status } = await app.deliver(name, payload);
  const answered = performance.now() - started;
  if (status !== 200) await quiet(fake, 3_500); // answered 202 at 9 s: the handler is still at work
  const requests = fake.log.slice(from);
  const ms = Math.max(answered, (requests.at(-1)?.at ?? started) - started);
  const dispatch = requests.find(
    (r) => r.route === 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
  );
  return { kind, status, ms, requests, dispatchMs: dispatch ? dispatch.at - started : undefined };
}

/** A commit with config and an evaluation record, as the evaluate/report workflow leaves it. */
function evaluatedCommit(installation: Installation, name: string): string {
  const sha = shaOf(name);
  installation.repo.setConfig(CONFIG, sha);
  installation.repo.addRecord(sha, sampleReport());
  return sha;
}

/** git creates the tag, then GitHub sends the push for the ref as it is then. */
function pushTag(
  installation: Installation,
  tag: string,
  sha: string,
  sender?: { sender: string; senderType: 'Bot' },
): unknown {
  installation.repo.addTag(tag, sha);
  return installation.moved(installation.repo.pushEvent(tag, sender));
}

/** One round of every event kind on one installation, one delivery at a time. */
async function eventRound(
  app: AppProcess,
  fake: FakeInstallations,
  installation: Installation,
  round: number,
): Promise<Measured[]> {
  const { repo } = installation;
  const sha = evaluatedCommit(installation, `bench commit ${round}`);
  const version = `v1.${round}.0`;
  const out: Measured[] = [];
  out.push(await deliver(app, fake, 'registration tag push', 'push', pushTag(installation, `churn@${version}`, sha)));
  await quiet(fake, 3_000); // the write limiter idle: the dispatch time is the app's, not the queue's
  out.push(
    await deliver(app, fake, 'assignment tag push', 'push', pushTag(installation, `churn#staging#${round + 1}`, sha)),
  );
  const before = new Set(repo.tagNames());
  const promote = commentPayload(`/cairn promote churn@${version} to production`, {
    id: 300_000 + round,
    issueNumber: 100 + round,
    login: 'maintainer',
  });
  out.push(await deliver(app, fake, '`/cairn promote` comment', 'issue_comment', installation.moved(promote)));
  const made = repo.tagNames().find((tag) => !before.has(tag) && tag.startsWith('churn#production'));
  if (!made) throw new Error(`/cairn promote made no production tag in round ${round}`);
  out.push(
    await deliver(
      app,
      fake,
      'push of the tag `/cairn promote` made',
      'push',
      installation.moved(repo.pushEvent(made, { sender: 'cairn[bot]', senderType: 'Bot' })),
    ),
  );
  const show = commentPayload('/cairn show', { id: 400_000 + round, issueNumber: 100 + round, login: 'reader' });
  out.push(await deliver(app, fake, '`/cairn show` comment', 'issue_comment', installation.moved(show)));
  const rule = protectionRulePayload({ environment: 'prod', ref: made, sha, runId: 900 + round });
  out.push(
    await deliver(app, fake, 'deployment protection rule', 'deployment_protection_rule', installation.moved(rule)),
  );
  return out;
}

interface ParallelRound {
  aloneMs: number;
  allMs: number;
  notOk: number;
}

async function parallelRun(options: AppBenchOptions): Promise<{ rounds: ParallelRound[]; violations: string[] }> {
  const fake = await startFakeInstallations(options.installations);
  const app = await startAppProcess({ gheHost: fake.host, cpus: '0', keepOutput: false });
  let version = 0;
  const registration = (installation: Installation) => {
    const sha = evaluatedCommit(installation, `parallel ${installation.owner} ${version}`);
    return pushTag(installation, `churn@v2.${version}.0`, sha);
  };
  const all = async (list: Installation[]) => {
    const payloads = list.map(registration);
    version++;
    const started = performance.now();
    const answers = await Promise.all(payloads.map((payload) => app.deliver('push', payload)));
    const answered = performance.now() - started;
    await quiet(fake, 3_500); // every installation's write limiter idle again
    // A delivery answered 202 at 9 s is done when its last request is.
    const last = answers.some((a) => a.status !== 200) ? (fake.log.at(-1)?.at ?? started) - started : 0;
    return { ms: Math.max(answered, last), notOk: answers.filter((a) => a.status !== 200).length };
  };
  try {
    await all(fake.installations); // warm-up: tokens, identity, caches
    const rounds: ParallelRound[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const alone = await all([fake.installations[0]]);
      const together = await all(fake.installations);
      rounds.push({ aloneMs: alone.ms, allMs: together.ms, notOk: alone.notOk + together.notOk });
    }
    return { rounds, violations: fake.violations() };
  } finally {
    await app.stop();
    await fake.close();
  }
}

async function eventRun(options: AppBenchOptions): Promise<{ measured: Measured[]; violations: string[] }> {
  const fake = await startFakeInstallations(1);
  const [installation] = fake.installations;
  const app = await startAppProcess({ gheHost: fake.host, cpus: '0', keepOutput: false });
  try {
    await eventRound(app, fake, installation, 0); // warm-up
    const measured: Measured[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      await quiet(fake, 3_000);
      measured.push(...(await eventRound(app, fake, installation, round)));
    }
    return { measured, violations: fake.violations() };
  } finally {
    await app.stop();
    await fake.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[(values.length - 1) >> 1];
const range = (values: number[]) =>
  Math.min(...values) === Math.max(...values) ? `${values[0]}` : `${Math.min(...values)}–${Math.max(...values)}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The requests of one delivery, grouped: `GET /repos/.../contents/{path} (304)` x n. */
function requestList(requests: readonly Answered[]): string {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.route.replace('/repos/{owner}/{repo}', '…')}${r.status === 304 ? ' (304)' : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `\`${key}\`${n > 1 ? ` x${n}` : ''}`).join(', ');
}

export async function benchApp(options: AppBenchOptions): Promise<{ markdown: string; ok: boolean }> {
  if (!Number.isInteger(options.rounds) || options.rounds < 1)
    throw new Error(`--rounds takes a whole number of at least 1, not ${options.rounds}`);
  const pinned = hasTaskset() && cpus().length > 1;
  // The app gets core 0; this process (client and fake GitHub) the others.
  if (pinned)
    spawnSync('taskset', ['-a', '-p', '-c', `1-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
  const events = await eventRun(options);
  const parallel = await parallelRun(options);

  const byKind = (kind: Kind) => events.measured.filter((m) => m.kind === kind);
  const rows = KINDS.map((kind) => {
    const list = byKind(kind);
    const dispatches = list.flatMap((m) => (m.dispatchMs === undefined ? [] : [m.dispatchMs]));
    return `| ${kind} | ${range(list.map((m) => m.requests.length))} | ${range(list.map((m) => counted(m.requests).length))} | ${range(list.map((m) => writes(m.requests).length))} | ${seconds(median(list.map((m) => m.ms)))} | ${dispatches.length > 0 ? seconds(Math.max(...dispatches)) : '–'} |`;
  });
  const assignments = byKind('assignment tag push');
  const maxSent = Math.max(...assignments.map((m) => m.requests.length));
  const maxCounted = Math.max(...assignments.map((m) => counted(m.requests).length));
  const dispatchMs = [...assignments, ...byKind('push of the tag `/cairn promote` made')].flatMap((m) =>
    m.dispatchMs === undefined ? [] : [m.dispatchMs],
  );
  const worstDispatch = dispatchMs.length > 0 ? Math.max(...dispatchMs) : Infinity;
  const alone = median(parallel.rounds.map((r) => r.aloneMs));
  const together = median(parallel.rounds.map((r) => r.allMs));
  const ratio = together / alone;
  const requestsMet = maxSent <= 10 && maxCounted <= 8;
  const dispatchMet = worstDispatch <= 3_000;
  const parallelMet = ratio < 2;
  const notOk =
    events.measured.filter((m) => m.status !== 200).length + parallel.rounds.reduce((sum, r) => sum + r.notOk, 0);
  const violations = [...events.violations, ...parallel.violations];
  for (const violation of violations.slice(0, 3)) console.error(violation);
  const met = (yes: boolean) => (yes ? 'met' : '**NOT met**');
  const markdown = [
    `### bench/app — the app as shipped (throttling on), requests per event and parallel installations; app process ${pinned ? 'pinned to one core (taskset -c 0)' : 'NOT pinned'}`,
    '',
    "`node dist/app.js` (Probot's Octokit throttling on, as `npm run app` runs it) against a fake GitHub on loopback that checks every request against GitHub's OpenAPI description and logs its status. " +
      `Requests per event: one installation, a warm-up round of every kind, then ${options.rounds} measured rounds, one delivery at a time (ranges over the rounds). ` +
      '"Counted" leaves out 304 answers to conditional requests, which GitHub does not count against the primary rate limit (5,000 requests an hour per installation). ' +
      'Writes are what the throttle spaces (one a second per installation; three seconds for those that notify, such as a comment or a release).',
    '',
    '| event | requests sent | counted (not 304) | writes | time per delivery (median) | push to dispatch (worst) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `An assignment tag push, last round: ${requestList(assignments.at(-1)?.requests ?? [])}.`,
    '',
    `Parallel installations: ${options.installations} installations, each with its own repository, each push a registration tag at once, vs one installation alone (${options.rounds} rounds, median): ` +
      `alone ${seconds(alone)}, ${options.installations} at once ${seconds(together)} (until the last delivery's last request), ${ratio.toFixed(2)}x (rounds: ${parallel.rounds.map((r) => `${seconds(r.aloneMs)} / ${seconds(r.allMs)}`).join(', ')}).`,
    '',
    `Targets: at most 10 requests sent and 8 counted per assignment (worst: ${maxSent} sent, ${maxCounted} counted): ${met(requestsMet)}; ` +
      `workflow dispatched within 3 s of the tag push (worst ${seconds(worstDispatch)}): ${met(dispatchMet)}; ` +
      `${options.installations} installations in under 2x one installation's time (${ratio.toFixed(2)}x): ${met(parallelMet)}. ` +
      `Deliveries not answered 200: ${notOk}; requests GitHub would reject: ${violations.length}.`,
    '',
    'Command: `npm run bench -- --only app [--rounds N] [--installations N]`.',
  ].join('\n');
  return { markdown, ok: requestsMet && dispatchMet && parallelMet && notOk === 0 && violations.length === 0 };
}
