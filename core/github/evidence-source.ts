/**
 * Who may leave evidence. A check run's name is chosen by whoever creates it, so anyone with
 * `checks: write` (any installed app) could publish a `cairn: <model>` run with better numbers.
 * As GitHub's "expected source" for required status checks, a record counts only when the app
 * that created the check run is trusted: the GitHub Actions app (our actions/report runs there), or
 * an app id the default branch's config lists in `evidence.trusted_apps`.
 *
 * The GitHub Actions app is id 15368 on github.com. On GitHub Enterprise Server its id differs, but
 * its slug is `github-actions`, and slugs are unique per GitHub instance and reserved by GitHub for
 * its own app; so on any host the slug `github-actions` owned by `github` is that app. An id in
 * `trusted_apps` is compared exactly (ids are never reused; a slug can be renamed).
 */

/** The GitHub Actions app on github.com. */
export const GITHUB_ACTIONS_APP = { id: 15368, slug: 'github-actions', owner: 'github' } as const;

/** The `app` of a check run as the REST API returns it (null for some legacy runs). */
export interface CheckRunApp {
  id?: number | null;
  slug?: string | null;
  owner?: { login?: string | null } | null;
}

export function isGitHubActionsApp(app: CheckRunApp | null | undefined): boolean {
  if (!app) return false;
  if (app.id === GITHUB_ACTIONS_APP.id && app.slug === GITHUB_ACTIONS_APP.slug) return true;
  // GHES and GHE.com: another id, the same reserved slug and owner.
  return app.slug === GITHUB_ACTIONS_APP.slug && app.owner?.login?.toLowerCase() === GITHUB_ACTIONS_APP.owner;
}

/** True when a check run created by `app` may be read as evidence. */
export function isTrustedSource(app: CheckRunApp | null | undefined, trustedApps: readonly number[] = []): boolean {
  if (isGitHubActionsApp(app)) return true;
  return typeof app?.id === 'number' && trustedApps.includes(app.id);
}

/** `app "name" (id N)`, for messages that say which app was not trusted. */
export function describeApp(app: CheckRunApp | null | undefined): string {
  if (!app) return 'an unknown app';
  const slug = app.slug ? `app ${app.slug}` : 'an app';
  return typeof app.id === 'number' ? `${slug} (id ${app.id})` : slug;
}
