/**
 * One repository's git database and pull requests, in memory, on GitHub's real routes (Git Data API:
 * refs, commits, trees, blobs, tags; pulls; compare), for code that commits and opens pull requests
 * without a checkout. Trees are flat maps of path -> content, hashed by content, so the same files
 * give the same tree SHA as in git. Tests seed and inspect the state directly.
 */
import { createHash } from 'node:crypto';
import { fakeUser } from './github-fakes.ts';
import { githubError, paginated, type GithubApi, type GithubRequest } from './github-router.ts';

export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  title: string;
  body: string;
  head: string;
  base: string;
  user: string;
  /** The head commit when it was closed (an open pull request follows its branch). */
  closedAt?: string;
}

const hash = (text: string) => createHash('sha1').update(text).digest('hex');

export function fakeGitData(gh: GithubApi, options: { repo?: string; writer?: string; defaultBranch?: string } = {}) {
  const fullName = options.repo ?? 'acme/churn';
  const [owner] = fullName.split('/');
  const writer = options.writer ?? 'cairn-retrain[bot]';
  const defaultBranch = options.defaultBranch ?? 'main';
  const blobs = new Map<string, Buffer>();
  const trees = new Map<string, Map<string, string>>();
  const commits = new Map<string, FakeCommit>();
  const tags = new Map<string, { sha: string; tag: string; message: string; object: string }>();
  const refs = new Map<string, string>(); // refs/heads/main -> sha
  const pulls: FakePull[] = [];
  let clock = 0;
  const api = `https://api.github.com/repos/${fullName}`;

  const putTree = (files: Map<string, string>) => {
    const sha = hash(`tree ${[...files].sort().join('\n')}`);
    trees.set(sha, files);
    return sha;
  };
  const putCommit = (tree: string, parents: string[], message: string) => {
    const sha = hash(`commit ${tree} ${parents.join(' ')} ${message} ${clock++}`);
    commits.set(sha, { sha, tree, parents, message });
    return sha;
  };
  const ancestors = (sha: string) => {
    const seen = new Set<string>();
    const walk = [sha];
    while (walk.length) {
      const next = walk.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      walk.push(...(commits.get(next)?.parents ?? []));
    }
    return seen;
  };
  const notFound = githubError(404, 'Not Found');
  const mine = (req: GithubRequest<unknown>) => `${req.params.owner}/${req.params.repo}` === fullName;
  const refObject = (ref: string, sha: string) => ({
    ref,
    node_id: `REF_${hash(ref).slice(0, 8)}`,
    url: `${api}/git/${ref}`,
    object: { sha, type: tags.has(sha) ? 'tag' : 'commit', url: `${api}/git/commits/${sha}` },
  });
  const headOf = (pull: FakePull) => (pull.state === 'open' ? refs.get(`refs/heads/${pull.head}`)! : pull.closedAt!);
  const pullObject = (pull: FakePull) => ({
    url: `${api}/pulls/${pull.number}`,
    id: pull.number + 5000,
    node_id: `PR_${pull.number}`,
    html_url: `https://github.com/${fullName}/pull/${pull.number}`,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    user: fakeUser(pull.user),
    merged_at: pull.merged ? '2024-01-02T00:00:00Z' : null,
    head: { ref: pull.head, sha: headOf(pull), label: `${owner}:${pull.head}` },
    base: { ref: pull.base, sha: refs.get(`refs/heads/${pull.base}`), label: `${owner}:${pull.base}` },
  });

  // A first commit on the default branch.
  refs.set(`refs/heads/${defaultBranch}`, putCommit(putTree(new Map()), [], 'initial commit'));

  gh.on('GET /repos/{owner}/{repo}', (req) =>
    mine(req)
      ? { data: { id: 1, name: fullName.split('/')[1], full_name: fullName, default_branch: defaultBranch } }
      : notFound,
  );
  gh.on('GET /repos/{owner}/{repo}/git/ref/{ref}', (req) => {
    const ref = `refs/${req.params.ref}`;
    const sha = refs.get(ref);
    return sha && mine(req) ? { data: refObject(ref, sha) } : notFound;
  });
  gh.on('GET /repos/{owner}/{repo}/git/matching-refs/{ref}', (req) => ({
    data: [...refs]
      .filter(([ref]) => ref.startsWith(`refs/${req.params.ref}`))
      .map(([ref, sha]) => refObject(ref, sha)),
  }));
  gh.on<{ ref: string; sha: string }>('POST /repos/{owner}/{repo}/git/refs', (req) => {
    if (refs.has(req.body.ref)) return githubError(422, 'Reference already exists');
    if (!commits.has(req.body.sha) && !tags.has(req.body.sha)) return githubError(422, 'Object does not exist');
    refs.set(req.body.ref, req.body.sha);
    return { status: 201, data: refObject(req.body.ref, req.body.sha) };
  });
  gh.on<{ sha: string; force?: boolean }>('PATCH /repos/{owner}/{repo}/git/refs/{ref}', (req) => {
    const ref = `refs/${req.params.ref}`;
    const current = refs.get(ref);
    if (!current) return githubError(422, 'Reference does not exist');
    if (!req.body.force && !ancestors(req.body.sha).has(current))
      return githubError(422, 'Update is not a fast forward');
    refs.set(ref, req.body.sha);
    return { data: refObject(ref, req.body.sha) };
  });
  gh.on('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', (req) => {
    const commit = commits.get(req.params.commit_sha);
    if (!commit) return notFound;
    return {
      data: {
        sha: commit.sha,
        message: commit.message,
        tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
        parents: commit.parents.map((sha) => ({ sha, url: `${api}/git/commits/${sha}` })),
      },
    };
  });
  gh.on<{ content: string; encoding: string }>('POST /repos/{owner}/{repo}/git/blobs', (req) => {
    const content = Buffer.from(req.body.content, req.body.encoding === 'base64' ? 'base64' : 'utf8');
    const sha = hash(`blob ${content.toString('hex')}`);
    blobs.set(sha, content);
    return { status: 201, data: { sha, url: `${api}/git/blobs/${sha}` } };
  });
  gh.on<{ base_tree?: string; tree: Array<{ path: string; sha: string }> }>(
    'POST /repos/{owner}/{repo}/git/trees',
    (req) => {
      const files = new Map(req.body.base_tree ? trees.get(req.body.base_tree) : []);
      for (const entry of req.body.tree) {
        if (!blobs.has(entry.sha)) return githubError(422, 'tree.sha is not a blob');
        files.set(entry.path, entry.sha);
      }
      const sha = putTree(files);
      return { status: 201, data: { sha, url: `${api}/git/trees/${sha}`, truncated: false, tree: [] } };
    },
  );
  gh.on<{ message: string; tree: string; parents: string[] }>('POST /repos/{owner}/{repo}/git/commits', (req) => {
    if (!trees.has(req.body.tree) || req.body.parents.some((p) => !commits.has(p)))
      return githubError(422, 'Tree or parent does not exist');
    const sha = putCommit(req.body.tree, req.body.parents, req.body.message);
    return {
      status: 201,
      data: {
        sha,
        message: req.body.message,
        tree: { sha: req.body.tree },
        parents: req.body.parents.map((p) => ({ sha: p })),
      },
    };
  });
  gh.on<{ tag: string; message: string; object: string }>('POST /repos/{owner}/{repo}/git/tags', (req) => {
    const sha = hash(`tag ${req.body.tag} ${req.body.object} ${clock++}`);
    tags.set(sha, { sha, tag: req.body.tag, message: req.body.message, object: req.body.object });
    return { status: 201, data: tagObject(sha) };
  });
  const tagObject = (sha: string) => {
    const tag = tags.get(sha)!;
    return {
      sha,
      tag: tag.tag,
      message: tag.message,
      tagger: {
        name: writer,
        email: 'bot@example.com',
        date: `2024-01-01T00:00:${String(clock % 60).padStart(2, '0')}Z`,
      },
      object: { sha: tag.object, type: 'commit', url: `${api}/git/commits/${tag.object}` },
    };
  };
  gh.on('GET /repos/{owner}/{repo}/git/tags/{tag_sha}', (req) =>
    tags.has(req.params.tag_sha) ? { data: tagObject(req.params.tag_sha) } : notFound,
  );
  gh.on('GET /repos/{owner}/{repo}/pulls', (req) => {
    const { head, state = 'open' } = req.query;
    const found = pulls
      .filter((p) => (state === 'all' || p.state === state) && (!head || `${owner}:${p.head}` === head))
      .sort((a, b) => b.number - a.number);
    return paginated(req, found.map(pullObject));
  });
  gh.on<{ head: string; base: string; title: string; body: string }>('POST /repos/{owner}/{repo}/pulls', (req) => {
    const { head, base, title, body } = req.body;
    if (!refs.has(`refs/heads/${head}`)) return githubError(422, 'Validation Failed: head');
    if (pulls.some((p) => p.state === 'open' && p.head === head && p.base === base))
      return githubError(422, `A pull request already exists for ${owner}:${head}.`);
    const pull: FakePull = {
      number: pulls.length + 1,
      state: 'open',
      merged: false,
      title,
      body,
      head,
      base,
      user: writer,
    };
    pulls.push(pull);
    return { status: 201, data: pullObject(pull) };
  });
  gh.on<{ title?: string; body?: string }>('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', (req) => {
    const pull = pulls.find((p) => p.number === Number(req.params.pull_number));
    if (!pull) return notFound;
    Object.assign(pull, req.body);
    return { data: pullObject(pull) };
  });
  gh.on('GET /repos/{owner}/{repo}/compare/{base}...{head}', (req) => {
    const { base, head } = req.params;
    const resolve = (name: string) => refs.get(`refs/heads/${name}`) ?? name;
    const inBase = ancestors(resolve(base));
    const ahead = [...ancestors(resolve(head))].filter((sha) => !inBase.has(sha));
    return {
      data: {
        status: ahead.length ? 'ahead' : 'behind',
        ahead_by: ahead.length,
        behind_by: 0,
        total_commits: ahead.length,
        commits: [],
        files: [],
      },
    };
  });

  return {
    refs,
    pulls,
    commits,
    /** Annotated tag objects by SHA: `{ tag, object }`, object being the commit tagged. */
    tags,
    /** The files of a commit, path -> text. */
    filesAt(sha: string): Record<string, string> {
      const tree = trees.get(commits.get(sha)!.tree)!;
      return Object.fromEntries([...tree].map(([path, blob]) => [path, blobs.get(blob)!.toString('utf8')]));
    },
    head: (branch: string) => refs.get(`refs/heads/${branch}`),
    /** Someone pushes a commit with `files` to `branch` (created from the default branch when missing). */
    push(branch: string, files: Record<string, string>, message = 'a change'): string {
      const parent = refs.get(`refs/heads/${branch}`) ?? refs.get(`refs/heads/${defaultBranch}`)!;
      const tree = new Map(trees.get(commits.get(parent)!.tree));
      for (const [path, text] of Object.entries(files)) {
        const content = Buffer.from(text);
        const blob = hash(`blob ${content.toString('hex')}`);
        blobs.set(blob, content);
        tree.set(path, blob);
      }
      const sha = putCommit(putTree(tree), [parent], message);
      refs.set(`refs/heads/${branch}`, sha);
      return sha;
    },
    /** Someone opens a pull request by hand from `head` (pushing a commit to it first when the branch is missing). */
    openPull(head: string, pull: { title: string; body: string; user: string; base?: string }): number {
      if (!refs.has(`refs/heads/${head}`)) this.push(head, { 'notes.md': 'my experiment' });
      const number = pulls.length + 1;
      pulls.push({ number, state: 'open', merged: false, head, base: pull.base ?? defaultBranch, ...pull });
      return number;
    },
    /** Merges pull request `number` with a merge commit, as the button does. */
    merge(number: number): void {
      const pull = pulls.find((p) => p.number === number)!;
      const head = headOf(pull);
      const base = refs.get(`refs/heads/${pull.base}`)!;
      refs.set(
        `refs/heads/${pull.base}`,
        putCommit(commits.get(head)!.tree, [base, head], `Merge pull request #${number}`),
      );
      Object.assign(pull, { state: 'closed', merged: true, closedAt: head });
    },
    close(number: number): void {
      const pull = pulls.find((p) => p.number === number)!;
      Object.assign(pull, { state: 'closed', closedAt: headOf(pull) });
    },
    /** An annotated registry tag made earlier, on `sha`. */
    tag(name: string, sha: string, message = 'registered'): void {
      const object = hash(`tag ${name} ${sha}`);
      tags.set(object, { sha: object, tag: name, message, object: sha });
      refs.set(`refs/tags/${name}`, object);
    },
  };
}
