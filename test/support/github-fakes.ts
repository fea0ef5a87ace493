/**
 * In-memory GitHub resources for the githubApi harness: issue comments and check runs, served on
 * their real routes with pagination and replies shaped like GitHub's (they pass the harness's
 * `validateResponses`). Tests seed and inspect the state directly.
 *
 *   const gh = githubApi(t);
 *   const comments = fakeIssueComments(gh);
 *   comments.add({ issueNumber: 7, body: 'hello' });
 *   ... code under test ...
 *   assert.equal(comments.on(7).length, 1);
 */
import type { GithubApi, GithubRequest } from './github-router.ts';
import { paginated } from './github-router.ts';

let nextId = 1000;
const stamp = () => new Date(Date.UTC(2024, 0, 1, 0, 0, nextId % 3600)).toISOString().replace('.000Z', 'Z');

/** A complete `simple-user` as GitHub returns it. */
export function fakeUser(
  login = 'github-actions[bot]',
  type: 'User' | 'Bot' | 'Organization' = login.endsWith('[bot]') ? 'Bot' : 'User',
) {
  const url = `https://api.github.com/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: 41898282,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    type,
    site_admin: false,
    gravatar_id: '',
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    url,
    html_url:
      type === 'Bot' ? `https://github.com/apps/${login.replace(/\[bot\]$/, '')}` : `https://github.com/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
  };
}

/**
 * A complete `integration` (GitHub App) as check runs carry it. The default is the GitHub Actions
 * app (id 15368, owned by `github`), which creates the check runs of workflow runs.
 */
export function fakeApp(slug = 'github-actions', id = 15368, owner = slug === 'github-actions' ? 'github' : 'acme') {
  return {
    id,
    slug,
    node_id: 'MDExOkludGVncmF0aW9uMQ==',
    owner: fakeUser(owner, owner === 'github' ? 'Organization' : 'User'),
    name: slug,
    description: null,
    external_url: 'https://example.com',
    html_url: `https://github.com/apps/${slug}`,
    created_at: stamp(),
    updated_at: stamp(),
    permissions: { checks: 'write', issues: 'write' },
    events: ['check_run'],
  };
}

export interface FakeComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: ReturnType<typeof fakeUser>;
  author_association: 'NONE' | 'MEMBER' | 'OWNER' | 'CONTRIBUTOR' | 'COLLABORATOR';
  created_at: string;
  updated_at: string;
}

/** Issue and pull request comments on one repository, oldest first as GitHub lists them; new ones are by `writer`, whose token the code under test holds. */
export function fakeIssueComments(gh: GithubApi, repoFullName = 'acme/churn', writer = 'github-actions[bot]') {
  const all: Array<FakeComment & { issueNumber: number }> = [];
  const api = `https://api.github.com/repos/${repoFullName}`;
  const add = (c: { issueNumber: number; body: string; user?: ReturnType<typeof fakeUser> }) => {
    const id = nextId++;
    const comment = {
      issueNumber: c.issueNumber,
      id,
      node_id: `IC_${id}`,
      url: `${api}/issues/comments/${id}`,
      html_url: `https://github.com/${repoFullName}/pull/${c.issueNumber}#issuecomment-${id}`,
      issue_url: `${api}/issues/${c.issueNumber}`,
      body: c.body,
      user: c.user ?? fakeUser('octocat', 'User'),
      author_association: 'NONE' as const,
      created_at: stamp(),
      updated_at: stamp(),
    };
    all.push(comment);
    return comment;
  };
  const publicView = ({ issueNumber: _issueNumber, ...comment }: FakeComment & { issueNumber: number }): FakeComment =>
    comment;
  const find = (req: GithubRequest<unknown>) => all.find((c) => c.id === Number(req.params.comment_id));
  const notFound = { status: 404, data: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  const mine = (req: GithubRequest<unknown>) => `${req.params.owner}/${req.params.repo}` === repoFullName;

  gh.on('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', (req) =>
    paginated(
      req,
      mine(req) ? all.filter((c) => c.issueNumber === Number(req.params.issue_number)).map(publicView) : [],
    ),
  );
  gh.on<{ body: string }>('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', (req) => ({
    status: 201,
    data: publicView(
      add({ issueNumber: Number(req.params.issue_number), body: req.body.body, user: fakeUser(writer) }),
    ),
  }));
  gh.on<{ body: string }>('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', (req) => {
    const comment = find(req);
    if (!comment || !mine(req)) return notFound;
    Object.assign(comment, { body: req.body.body, updated_at: stamp() });
    return { data: publicView(comment) };
  });
  gh.on('GET /repos/{owner}/{repo}/issues/comments/{comment_id}', (req) => {
    const comment = find(req);
    return comment && mine(req) ? { data: publicView(comment) } : notFound;
  });

  return {
    add: (c: { issueNumber: number; body: string; user?: ReturnType<typeof fakeUser> }) => publicView(add(c)),
    /** The comments on one issue or pull request, oldest first. */
    on: (issueNumber: number) => all.filter((c) => c.issueNumber === issueNumber).map(publicView),
  };
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: {
    title: string | null;
    summary: string | null;
    text: string | null;
    annotations_count: number;
    annotations_url: string;
  };
  [field: string]: unknown;
}

/**
 * Check runs on one repository, and the branch heads `GET /repos/{owner}/{repo}/commits/{ref}`
 * resolves (with the `application/vnd.github.sha` media type, which is what core/github asks for).
 * `creator` is the app whose token creates runs through the API (GitHub Actions by default).
 */
export function fakeCheckRuns(
  gh: GithubApi,
  branches: Record<string, string> = {},
  repoFullName = 'acme/churn',
  creator = fakeApp(),
) {
  const runs: FakeCheckRun[] = [];
  const api = `https://api.github.com/repos/${repoFullName}`;
  const add = (c: Partial<FakeCheckRun> & { name: string; head_sha: string }): FakeCheckRun => {
    const id = nextId++;
    const completed = c.status === undefined ? c.conclusion != null : c.status === 'completed';
    const run: FakeCheckRun = {
      id,
      node_id: `CR_${id}`,
      external_id: '',
      url: `${api}/check-runs/${id}`,
      html_url: `https://github.com/${repoFullName}/runs/${id}`,
      details_url: 'https://example.com',
      started_at: stamp(),
      completed_at: completed ? stamp() : null,
      check_suite: { id: 1 },
      app: creator,
      pull_requests: [],
      ...c,
      status: completed ? 'completed' : (c.status ?? 'queued'),
      conclusion: completed ? (c.conclusion ?? 'neutral') : null,
      output: {
        title: null,
        summary: null,
        text: null,
        ...c.output,
        annotations_count: 0,
        annotations_url: `${api}/check-runs/${id}/annotations`,
      },
    };
    runs.push(run);
    return run;
  };
  const resolve = (ref: string) =>
    branches[ref.replace(/^(refs\/)?heads\//, '')] ?? (/^[0-9a-f]{40}$/.test(ref) ? ref : undefined);
  const unprocessable = (ref: string) => ({
    status: 422,
    data: { message: `No commit found for SHA: ${ref}`, documentation_url: 'https://docs.github.com/rest' },
  });

  gh.on('GET /repos/{owner}/{repo}/commits/{ref}', (req) => {
    if (!/application\/vnd\.github(\.v3)?\.sha/.test(String(req.headers.accept)))
      throw new Error('fakeCheckRuns serves commits only with the sha media type');
    const sha = resolve(req.params.ref);
    return sha
      ? { data: sha, headers: { 'content-type': 'application/vnd.github.sha; charset=utf-8' } }
      : unprocessable(req.params.ref);
  });
  gh.on('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', (req) => {
    const sha = resolve(req.params.ref);
    const { check_name: name, status, filter = 'latest' } = req.query;
    let found = runs.filter(
      (r) => r.head_sha === sha && (!name || r.name === name) && (!status || r.status === status),
    );
    // `latest` keeps the most recent run of each name.
    if (filter === 'latest') found = found.filter((r) => !found.some((o) => o.name === r.name && o.id > r.id));
    return paginated(req, found, { wrap: (page, total) => ({ total_count: total, check_runs: page }) });
  });
  gh.on<Partial<FakeCheckRun> & { name: string; head_sha: string }>('POST /repos/{owner}/{repo}/check-runs', (req) => ({
    status: 201,
    data: add(req.body),
  }));

  return { runs, add };
}
