/**
 * One GitHub repository (acme/churn) for the app tests, served on the githubApi harness (every
 * request checked against GitHub's OpenAPI description): git tags and refs, files, check runs,
 * releases, issues and comments, reactions, collaborator permissions, workflow dispatches, runs and
 * protection-rule reviews, plus the installation token endpoint and the app itself (`GET /app`). Tests seed it and read it back.
 */
import { createHash } from 'node:crypto';
import type { GithubApi, GithubRequest } from '../../support/github-router.ts';
import { githubError, paginated, weakEtag } from '../../support/github-router.ts';
import { fakeApp, fakeCheckRuns, fakeIssueComments, fakeUser } from '../../support/github-fakes.ts';
import { checkRunBody } from '../../../core/github/check-run.ts';
import type { MetricsReport } from '../../../core/metrics/types.ts';
import { FULL_NAME, HTML_URL, pushPayload, type PushOptions } from './payloads.ts';
import { APP_ID, INSTALLATION_ID } from './probot.ts';

/** The test app's slug, and the login its installation token writes as. */
export const APP_SLUG = 'cairn';
export const APP_LOGIN = `${APP_SLUG}[bot]`;

const API = `https://api.github.com/repos/${FULL_NAME}`;

/** A Map that counts its changes, so what is built from it can be kept until it changes. */
class VersionedMap<K, V> extends Map<K, V> {
  version = 0;
  override set(key: K, value: V): this {
    this.version++;
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.version++;
    return super.delete(key);
  }
  override clear(): void {
    this.version++;
    super.clear();
  }
}

/** A stable fake SHA for a name. */
export function shaOf(name: string): string {
  return createHash('sha1').update(name).digest('hex');
}

export interface TagObject {
  sha: string;
  tag: string;
  message: string;
  tagger: { name: string; email: string; date: string };
  object: { type: 'commit' | 'tag'; sha: string };
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  pull_request?: unknown;
  /** Who opened it; the app's bot unless a test plants one. */
  author?: string;
}

export interface FakeRepoOptions {
  branches?: Record<string, string>;
  /** Permission role per login (`read`, `triage`, `write`, `maintain`, `admin`); others are `none`. */
  roles?: Record<string, string>;
  /** The installation whose token this repository's requests carry; default the tests' one. */
  installationId?: number;
}

let clock = Date.parse('2024-04-01T00:00:00Z');
/** Tagger dates one minute apart, in the order tags are made. */
export function nextTagDate(): string {
  clock += 60_000;
  return new Date(clock).toISOString().replace('.000Z', 'Z');
}

export function fakeRepo(gh: GithubApi, options: FakeRepoOptions = {}) {
  const branches: Record<string, string> = { main: shaOf('main'), ...options.branches };
  // Runs the app creates carry the app; evaluation records (addRecord) come from GitHub Actions.
  const checks = fakeCheckRuns(gh, branches, FULL_NAME, fakeApp(APP_SLUG, APP_ID));
  const comments = fakeIssueComments(gh, FULL_NAME, APP_LOGIN);
  const refs = new VersionedMap<string, { type: 'commit' | 'tag'; sha: string }>();
  const tagObjects = new Map<string, TagObject>();
  /** `<ref or sha>:<path>` -> text. */
  const files = new Map<string, string>();
  const releases: Array<{
    id: number;
    tag_name: string;
    name: string;
    body: string;
    prerelease: boolean;
    html_url: string;
  }> = [];
  const issues: FakeIssue[] = [];
  const reactions: Array<{ commentId: number; content: string }> = [];
  const dispatches: Array<{ workflow: string; ref: string; inputs: Record<string, string> }> = [];
  const reviews: Array<{ runId: number; environment_name: string; state: string; comment: string }> = [];
  // The default pusher of test tag pushes (test/app/support/payloads.ts) may promote to every stage of CONFIG.
  const roles: Record<string, string> = { maintainer: 'maintain', ...options.roles };
  /** Who started each workflow run; a run not listed was dispatched by the app (its bot). */
  const workflowRuns = new Map<number, { login: string; type: 'User' | 'Bot' }>();
  let nextNumber = 1;

  const resolveRef = (ref: string) => branches[ref.replace(/^(refs\/)?heads\//, '')] ?? ref;

  // The app asks who it is once per process (app/app-identity.ts): the `cairn` app, writing as cairn[bot].
  gh.on('GET /app', () => ({ data: fakeApp(APP_SLUG, APP_ID) }));
  gh.on('POST /app/installations/{installation_id}/access_tokens', (req) => {
    if (Number(req.params.installation_id) !== (options.installationId ?? INSTALLATION_ID))
      return githubError(404, 'Not Found');
    return {
      status: 201,
      data: {
        token: 'ghs_installation_token',
        expires_at: '2099-01-01T00:00:00Z',
        permissions: {},
        repository_selection: 'selected',
      },
    };
  });

  // --- git database -------------------------------------------------------------------------
  const refView = (name: string) => {
    const ref = refs.get(name)!;
    return {
      ref: name,
      node_id: `REF_${name}`,
      url: `${API}/git/${name}`,
      object: { type: ref.type, sha: ref.sha, url: `${API}/git/${ref.type === 'tag' ? 'tags' : 'commits'}/${ref.sha}` },
    };
  };
  // The list, its JSON and ETag are kept until a ref changes: bench/app asks for a list of hundreds
  // of tags many times a second, and the load generator must stay cheaper than the app it measures.
  const refLists = new Map<
    string,
    { version: number; reply: { data: unknown; json: string; headers: Record<string, string> } }
  >();
  gh.on('GET /repos/{owner}/{repo}/git/matching-refs/{ref}', (req) => {
    const kept = refLists.get(req.params.ref);
    if (kept?.version === refs.version) return kept.reply;
    const data = [...refs.keys()]
      .filter((name) => name.startsWith(`refs/${req.params.ref}`))
      .sort()
      .map(refView);
    const json = JSON.stringify(data);
    const reply = { data, json, headers: { etag: weakEtag(json) } };
    refLists.set(req.params.ref, { version: refs.version, reply });
    return reply;
  });
  gh.on('GET /repos/{owner}/{repo}/git/ref/{ref}', (req) => {
    const name = `refs/${req.params.ref}`;
    return refs.has(name) ? { data: refView(name) } : githubError(404, 'Not Found');
  });
  const tagView = (object: TagObject) => ({
    node_id: `TAG_${object.sha}`,
    url: `${API}/git/tags/${object.sha}`,
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    ...object,
    object: { ...object.object, url: `${API}/git/commits/${object.object.sha}` },
  });
  gh.on('GET /repos/{owner}/{repo}/git/tags/{tag_sha}', (req) => {
    const object = tagObjects.get(req.params.tag_sha);
    return object ? { data: tagView(object) } : githubError(404, 'Not Found');
  });
  gh.on<{ tag: string; message: string; object: string; type: 'commit'; tagger?: TagObject['tagger'] }>(
    'POST /repos/{owner}/{repo}/git/tags',
    (req) => {
      const tagger = req.body.tagger ?? {
        name: 'cairn[bot]',
        email: '1234+cairn[bot]@users.noreply.github.com',
        date: nextTagDate(),
      };
      const object: TagObject = {
        sha: shaOf(`tag-object:${req.body.tag}:${tagObjects.size}`),
        tag: req.body.tag,
        message: req.body.message,
        tagger: { ...tagger, date: tagger.date ?? nextTagDate() },
        object: { type: 'commit', sha: req.body.object },
      };
      tagObjects.set(object.sha, object);
      return { status: 201, data: tagView(object) };
    },
  );
  gh.on<{ ref: string; sha: string }>('POST /repos/{owner}/{repo}/git/refs', (req) => {
    if (refs.has(req.body.ref)) return githubError(422, 'Reference already exists');
    refs.set(req.body.ref, { type: tagObjects.has(req.body.sha) ? 'tag' : 'commit', sha: req.body.sha });
    return { status: 201, data: refView(req.body.ref) };
  });

  // --- files ----------------------------------------------------------------------------------
  gh.on('GET /repos/{owner}/{repo}/contents/{path}', (req) => {
    const ref = req.query.ref ?? 'main';
    const text = files.get(`${resolveRef(ref)}:${req.params.path}`);
    if (text === undefined) return githubError(404, 'Not Found');
    const content = Buffer.from(text).toString('base64');
    return {
      data: {
        type: 'file',
        encoding: 'base64',
        size: Buffer.byteLength(text),
        name: req.params.path.split('/').pop(),
        path: req.params.path,
        content,
        sha: shaOf(text),
        url: '',
        git_url: '',
        html_url: '',
        download_url: '',
        _links: { self: '', git: '', html: '' },
      },
    };
  });

  // --- check runs (the harness's fake serves list and create) -----------------------------------
  gh.on<Record<string, unknown>>('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', (req) => {
    const run = checks.runs.find((r) => r.id === Number(req.params.check_run_id));
    if (!run) return githubError(404, 'Not Found');
    const { output, ...rest } = req.body as { output?: Record<string, unknown> };
    Object.assign(run, rest);
    if (output) run.output = { ...run.output, ...output };
    return { data: run };
  });

  // --- releases -------------------------------------------------------------------------------
  gh.on('GET /repos/{owner}/{repo}/releases/tags/{tag}', (req) => {
    const release = releases.find((r) => r.tag_name === req.params.tag);
    return release ? { data: release } : githubError(404, 'Not Found');
  });
  gh.on<{ tag_name: string; name: string; body: string; prerelease: boolean }>(
    'POST /repos/{owner}/{repo}/releases',
    (req) => {
      if (releases.some((r) => r.tag_name === req.body.tag_name))
        return {
          status: 422,
          data: {
            message: 'Validation Failed',
            errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
          },
        };
      const release = {
        id: 500 + releases.length,
        ...req.body,
        html_url: `${HTML_URL}/releases/tag/${encodeURIComponent(req.body.tag_name)}`,
      };
      releases.push(release);
      return { status: 201, data: release };
    },
  );

  // --- issues ---------------------------------------------------------------------------------
  const issueView = ({ author, ...issue }: FakeIssue) => ({
    id: 80_000 + issue.number,
    node_id: `I_${issue.number}`,
    html_url: `${HTML_URL}/issues/${issue.number}`,
    user: fakeUser(author ?? APP_LOGIN),
    ...issue,
  });
  gh.on('GET /repos/{owner}/{repo}/issues', (req) => paginated(req, issues.map(issueView)));
  gh.on<{ title: string; body: string }>('POST /repos/{owner}/{repo}/issues', (req) => {
    const issue: FakeIssue = { number: nextNumber++, title: req.body.title, body: req.body.body, state: 'open' };
    issues.push(issue);
    return { status: 201, data: issueView(issue) };
  });
  gh.on<{ body: string }>('PATCH /repos/{owner}/{repo}/issues/{issue_number}', (req) => {
    const issue = issues.find((i) => i.number === Number(req.params.issue_number));
    if (!issue) return githubError(410, 'This issue was deleted');
    issue.body = req.body.body;
    return { data: issueView(issue) };
  });
  // Every reaction here is the app's; GitHub keeps one per user and content, and answers 200 with it
  // when the user had added it already.
  gh.on<{ content: string }>('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', (req) => {
    const commentId = Number(req.params.comment_id);
    const view = (id: number) => ({
      id,
      content: req.body.content,
      user: fakeUser(),
      created_at: '2024-01-01T00:00:00Z',
      node_id: `R_${id}`,
    });
    const existing = reactions.findIndex((r) => r.commentId === commentId && r.content === req.body.content);
    if (existing !== -1) return { status: 200, data: view(existing + 1) };
    reactions.push({ commentId, content: req.body.content });
    return { status: 201, data: view(reactions.length) };
  });

  // --- people and actions ---------------------------------------------------------------------
  gh.on('GET /repos/{owner}/{repo}/collaborators/{username}/permission', (req) => {
    const role = roles[req.params.username] ?? 'none';
    const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
    return { data: { permission, role_name: role, user: fakeUser(req.params.username, 'User') } };
  });
  gh.on<{ ref: string; inputs: Record<string, string> }>(
    'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
    (req) => {
      dispatches.push({ workflow: req.params.workflow_id, ref: req.body.ref, inputs: req.body.inputs });
      return { status: 204 };
    },
  );
  gh.on('GET /repos/{owner}/{repo}/actions/runs/{run_id}', (req) => {
    const id = Number(req.params.run_id);
    const starter = workflowRuns.get(id) ?? { login: 'cairn[bot]', type: 'Bot' as const };
    const actor = fakeUser(starter.login, starter.type);
    return {
      data: {
        id,
        name: 'deploy',
        head_sha: shaOf(`run ${id}`),
        event: 'workflow_dispatch',
        status: 'waiting',
        conclusion: null,
        run_attempt: 1,
        actor,
        triggering_actor: actor,
        html_url: `${HTML_URL}/actions/runs/${id}`,
      },
    };
  });
  gh.on<{ environment_name: string; state: string; comment: string }>(
    'POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule',
    (req) => {
      reviews.push({ runId: Number(req.params.run_id), ...req.body });
      return { status: 204 };
    },
  );

  return {
    branches,
    checks,
    comments,
    refs,
    tagObjects,
    files,
    releases,
    issues,
    reactions,
    dispatches,
    reviews,
    roles,
    workflowRuns,
    /** `.github/cairn.yml` at a branch or commit. */
    setConfig(text: string, at: string = 'main') {
      files.set(`${resolveRef(at)}:.github/cairn.yml`, text);
    },
    /** An annotated tag, as `git tag -a` + push leaves it. Returns the tag object's SHA. */
    addTag(tag: string, commit: string, options: { message?: string; date?: string; tagger?: string } = {}): string {
      const object: TagObject = {
        sha: shaOf(`tag-object:${tag}:${tagObjects.size}`),
        tag,
        message: options.message ?? `${tag}\n`,
        tagger: {
          name: options.tagger ?? 'Data Scientist',
          email: 'ds@example.com',
          date: options.date ?? nextTagDate(),
        },
        object: { type: 'commit', sha: commit },
      };
      tagObjects.set(object.sha, object);
      refs.set(`refs/tags/${tag}`, { type: 'tag', sha: object.sha });
      return object.sha;
    },
    /**
     * An annotated tag the app has judged already: its push was handled and honoured (by `by`, a
     * person with the level unless told otherwise), as its `cairn registry` check records.
     */
    addHonouredTag(
      tag: string,
      commit: string,
      options: { message?: string; date?: string; tagger?: string; by?: string } = {},
    ): string {
      const sha = this.addTag(tag, commit, options);
      checks.add({
        name: 'cairn registry',
        head_sha: commit,
        external_id: `tag:${tag}:${sha}`,
        status: 'completed',
        conclusion: 'success',
        output: {
          title: `Handled ${tag}`,
          summary: `Handled.\n\n<!-- cairn:tag-verdict honoured object=${sha} by=${options.by ?? 'maintainer'} -->`,
          text: null,
          annotations_count: 0,
          annotations_url: '',
        },
      });
      return sha;
    },
    addLightweightTag(tag: string, commit: string) {
      refs.set(`refs/tags/${tag}`, { type: 'commit', sha: commit });
    },
    /**
     * The push event GitHub sends for `tag` as the repository has it now: `after` is what its ref
     * points at (the tag object of an annotated tag, the commit of a lightweight one).
     */
    pushEvent(tag: string, options: Omit<PushOptions, 'after' | 'deleted'> = {}) {
      const ref = refs.get(`refs/tags/${tag}`);
      if (!ref) throw new Error(`no tag ${tag} to push: add it first`);
      return pushPayload(`refs/tags/${tag}`, { ...options, after: ref.sha });
    },
    /** A completed `cairn: <model>` check run carrying `report`, as the report action leaves it (by default in GitHub Actions). */
    addRecord(
      sha: string,
      report: MetricsReport,
      options: { app?: ReturnType<typeof fakeApp>; completedAt?: string } = {},
    ) {
      const { name, conclusion, output } = checkRunBody({
        owner: 'acme',
        repo: 'churn',
        headSha: sha,
        report,
        summary: `## ${report.name}`,
      });
      const completed_at = options.completedAt ?? '2024-03-01T10:00:00Z';
      return checks.add({
        name,
        head_sha: sha,
        status: 'completed',
        conclusion,
        completed_at,
        app: options.app ?? fakeApp(),
        output: { ...output, annotations_count: 0, annotations_url: '' },
      });
    },
    /** Check runs named `cairn registry` on `sha` (about `tag`, when given: `tag:<tag>[:<object>]` or `retry:<tag>[:<object>]`), oldest first. */
    registryChecks(sha: string, tag?: string) {
      return checks.runs.filter(
        (r) =>
          r.name === 'cairn registry' &&
          r.head_sha === sha &&
          (tag === undefined ||
            String(r.external_id)
              .replace(/^(tag|retry):/, '')
              .replace(/:[0-9a-f]{40}$/, '') === tag),
      );
    },
    tagNames(): string[] {
      return [...refs.keys()].filter((r) => r.startsWith('refs/tags/')).map((r) => r.slice('refs/tags/'.length));
    },
    /** Requests the app sent that change something in GitHub. */
    writes(): GithubRequest<unknown>[] {
      return gh.requests.filter(
        (r) => r.method !== 'GET' && r.route !== 'POST /app/installations/{installation_id}/access_tokens',
      );
    },
    /** An issue someone other than the app opened (a planted marker, say). */
    addIssue(issue: Omit<FakeIssue, 'number'>): FakeIssue {
      const added = { number: nextNumber++, ...issue };
      issues.push(added);
      return added;
    },
  };
}

export type FakeRepo = ReturnType<typeof fakeRepo>;

/** The config the app tests use unless they need another. */
export const CONFIG = `models:
  churn:
    path: models/churn.onnx
    task: binary
    type: gradient boosting
    description: Predicts which customers leave next month.
    gates:
      default: f1>=0.6
      production: f1>=0.7, roc_auc>=baseline-0.01
stages:
  staging:
    promote: write
  production:
    promote: maintain
    environment: prod
deploy:
  workflow: deploy.yml
`;
