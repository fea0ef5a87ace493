/**
 * The registry's tags in a local git repository, through the `git` command. Errors a user can fix (not
 * a repository, an unknown revision, a tag that exists, a failed push) are UserErrors.
 */
import { execFile } from 'node:child_process';
import { UserError } from '../errors.ts';
import type { AnnotatedTag } from './types.ts';

export interface GitOptions {
  /** The environment git runs in (GIT_COMMITTER_*, HOME...); default, this process's. */
  env?: NodeJS.ProcessEnv;
}

class GitFailed extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly code: number | string | undefined,
  ) {
    super(`git ${args.join(' ')} failed: ${stderr.trim()}`);
  }
}

function git(repoDir: string, args: string[], options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd: repoDir, env: options.env, maxBuffer: 256 << 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && !stderr)
          return reject(new UserError(`git is not installed, or ${repoDir} does not exist.`, { cause: error }));
        reject(new GitFailed(args, stderr, code));
      },
    );
  });
}

/** Fails with a UserError unless `repoDir` is inside a git work tree. */
export async function checkRepository(repoDir: string, options: GitOptions = {}): Promise<void> {
  try {
    await git(repoDir, ['rev-parse', '--git-dir'], options);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${repoDir} is not a git repository; run this inside one or pass --repo DIR.`, {
      cause: error,
    });
  }
}

// One record per tag: NUL-separated fields, the message last, then NUL and git's newline.
const FIELDS = [
  '%(refname:strip=2)',
  '%(objecttype)',
  '%(*objecttype)',
  '%(*objectname)',
  '%(taggername)',
  '%(taggeremail)',
  '%(taggerdate:unix)',
  '%(contents)',
];

function toIso(unixSeconds: string): string {
  return new Date(Number(unixSeconds) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Every annotated tag that points at a commit; lightweight tags are left out (GTO ignores them). */
export async function readAnnotatedTags(repoDir: string, options: GitOptions = {}): Promise<AnnotatedTag[]> {
  await checkRepository(repoDir, options);
  const out = await git(repoDir, ['for-each-ref', `--format=${FIELDS.join('%00')}%00`, 'refs/tags'], options);
  const tags: AnnotatedTag[] = [];
  for (const record of out.split('\0\n')) {
    if (record === '') continue;
    const [tag, type, targetType, sha, taggerName, taggerEmail, date, message] = record.split('\0');
    if (type !== 'tag' || targetType !== 'commit' || date === '') continue;
    const entry: AnnotatedTag = { tag, sha, taggedAt: toIso(date), message };
    if (taggerName) entry.tagger = { name: taggerName, email: taggerEmail.replace(/^<|>$/g, '') };
    tags.push(entry);
  }
  return tags;
}

/** Every tag name, lightweight ones included. */
export async function listTagNames(repoDir: string, options: GitOptions = {}): Promise<string[]> {
  await checkRepository(repoDir, options);
  const out = await git(repoDir, ['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'], options);
  return out.split('\n').filter(Boolean);
}

/** `annotated`, `lightweight`, or undefined when there is no such tag. */
export async function tagKind(
  repoDir: string,
  tag: string,
  options: GitOptions = {},
): Promise<'annotated' | 'lightweight' | undefined> {
  try {
    const type = (await git(repoDir, ['cat-file', '-t', `refs/tags/${tag}`], options)).trim();
    return type === 'tag' ? 'annotated' : 'lightweight';
  } catch (error) {
    if (error instanceof GitFailed) return undefined;
    throw error;
  }
}

/** The full sha of the commit `ref` names; a UserError when there is none. */
export async function resolveCommit(repoDir: string, ref: string, options: GitOptions = {}): Promise<string> {
  await checkRepository(repoDir, options);
  try {
    return (
      await git(repoDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], options)
    ).trim();
  } catch (error) {
    throw new UserError(`no commit "${ref}" in ${repoDir}; pass --ref with a branch, tag or commit sha that exists.`, {
      cause: error,
    });
  }
}

/** The identity git tags with (`Name <email>`), or a UserError that says how to set it. */
export async function gitIdentity(repoDir: string, options: GitOptions = {}): Promise<{ name: string; email: string }> {
  try {
    const ident = (await git(repoDir, ['var', 'GIT_COMMITTER_IDENT'], options)).trim();
    const match = /^(.*) <([^>]*)>/.exec(ident);
    if (match) return { name: match[1], email: match[2] };
  } catch (error) {
    if (!(error instanceof GitFailed)) throw error;
  }
  throw new UserError(
    'git does not know who you are; set it with git config user.name "Your Name" and git config user.email you@example.com.',
  );
}

/** Creates an annotated tag on the commit `ref` names and returns it as readAnnotatedTags would. */
export async function createAnnotatedTag(
  repoDir: string,
  tag: string,
  options: GitOptions & { ref?: string; message: string },
): Promise<AnnotatedTag> {
  const sha = await resolveCommit(repoDir, options.ref ?? 'HEAD', options);
  if ((await tagKind(repoDir, tag, options)) !== undefined) throw new UserError(`tag ${tag} already exists.`);
  try {
    await git(repoDir, ['tag', '-a', '-m', options.message, '--', tag, sha], options);
  } catch (error) {
    if (error instanceof GitFailed)
      throw new UserError(`could not create tag ${tag}: ${error.stderr.trim()}`, { cause: error });
    throw error;
  }
  const created = (await readAnnotatedTags(repoDir, options)).find((t) => t.tag === tag);
  if (!created) throw new Error(`tag ${tag} was created but cannot be read back`);
  return created;
}

export async function deleteTag(repoDir: string, tag: string, options: GitOptions = {}): Promise<void> {
  await git(repoDir, ['tag', '-d', '--', tag], options);
}

/** Pushes the tags to `remote` in one atomic push when the remote supports it. */
export async function pushTags(
  repoDir: string,
  tags: readonly string[],
  remote = 'origin',
  options: GitOptions = {},
): Promise<void> {
  try {
    await git(
      repoDir,
      ['push', '--atomic', '--', remote, ...tags.map((tag) => `refs/tags/${tag}:refs/tags/${tag}`)],
      options,
    );
  } catch (error) {
    if (error instanceof GitFailed)
      throw new UserError(`could not push ${tags.join(', ')} to ${remote}: ${error.stderr.trim()}`, { cause: error });
    throw error;
  }
}

export async function pushTag(
  repoDir: string,
  tag: string,
  remote = 'origin',
  options: GitOptions = {},
): Promise<void> {
  await pushTags(repoDir, [tag], remote, options);
}

/**
 * Creates the planned tags in order and, with `push`, pushes them together. Either every tag ends up
 * created (and pushed), or none is left behind: a failure removes the tags this call made.
 */
export async function applyPlannedTags(
  repoDir: string,
  planned: ReadonlyArray<{ tag: string; sha: string; message: string }>,
  options: GitOptions & { push?: boolean; remote?: string } = {},
): Promise<AnnotatedTag[]> {
  const created: AnnotatedTag[] = [];
  try {
    for (const { tag, sha, message } of planned)
      created.push(await createAnnotatedTag(repoDir, tag, { ref: sha, message, env: options.env }));
    if (options.push && created.length > 0)
      await pushTags(
        repoDir,
        created.map((t) => t.tag),
        options.remote,
        options,
      );
  } catch (error) {
    for (const { tag } of created.reverse()) await deleteTag(repoDir, tag, options).catch(() => undefined);
    if (error instanceof UserError && created.length > 0)
      throw new UserError(`${error.message}\nThe tags made for this change were removed again; nothing changed.`, {
        cause: error,
      });
    throw error;
  }
  return created;
}
