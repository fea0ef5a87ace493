/**
 * Who a front door writes as, so that the comments and issues it updates are found by marker AND
 * author (as Renovate finds its dependency dashboard: by title and by its own bot as author). A
 * marker is text anyone can paste into a comment; the author is not.
 *
 * How a token tells who it is:
 * - a GitHub App installation token writes as `<app slug>[bot]`. The app itself learns its slug
 *   from `GET /app` (app/app-identity.ts); an action or the CLI cannot (that needs the app's JWT),
 *   so it is told the slug (actions/create-github-app-token has it as its `app-slug` output).
 * - `GITHUB_TOKEN` is the GitHub Actions app's installation token: `github-actions[bot]`. Both kinds
 *   start with `ghs_` (GitHub's server-to-server prefix), and neither may call `GET /user` (403), so
 *   a `ghs_` token without a slug is taken for `GITHUB_TOKEN`, which is what actions default to.
 * - any other token (`ghp_`, `github_pat_`, `gho_`, `ghu_`, or a format we do not know) acts as a
 *   user: `GET /user` says who, once per token per process. Should that answer 403, the token was an
 *   installation token after all, and is `GITHUB_TOKEN` as above.
 * A wrong guess only ever makes Cairn create a new comment beside its old one, never edit another's.
 */
import type { GitHubClient } from './octokit.ts';
import { statusOf } from './status.ts';

export const GITHUB_ACTIONS_BOT = 'github-actions[bot]';

/** The login a GitHub App's installation token writes as. */
export function botLogin(appSlug: string): string {
  return `${appSlug}[bot]`;
}

export type TokenKind = 'installation' | 'user';

export function tokenKind(token: string): TokenKind {
  return token.startsWith('ghs_') ? 'installation' : 'user';
}

/** True when `user` (a comment's or an issue's author) is `login`; logins are case-insensitive. */
export function isAuthor(user: { login?: string | null } | null | undefined, login: string): boolean {
  return typeof user?.login === 'string' && user.login.toLowerCase() === login.toLowerCase();
}

const userLogins = new Map<string, Promise<string>>();

export interface TokenIdentityOptions {
  token: string;
  /** The slug of the GitHub App whose installation token `token` is, when it is not GITHUB_TOKEN's. */
  appSlug?: string;
}

/** The login `token` writes as (see above); at most one `GET /user` per token per process. */
export function tokenLogin(octokit: GitHubClient, options: TokenIdentityOptions): Promise<string> {
  if (options.appSlug) return Promise.resolve(botLogin(options.appSlug));
  if (tokenKind(options.token) === 'installation') return Promise.resolve(GITHUB_ACTIONS_BOT);
  let login = userLogins.get(options.token);
  if (!login) {
    login = octokit.rest.users.getAuthenticated().then(
      ({ data }) => data.login,
      (error: unknown) => {
        if (statusOf(error) === 403) return GITHUB_ACTIONS_BOT; // "Resource not accessible by integration"
        userLogins.delete(options.token); // a network failure is not remembered
        throw error;
      },
    );
    userLogins.set(options.token, login);
  }
  return login;
}
