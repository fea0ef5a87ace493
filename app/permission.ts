/**
 * Who is acting, and whether they may: a person's permission on the repository as GitHub reports
 * it, compared with the level core/config's table asks for; the app's own bot, whose tags and
 * dispatches a `/cairn` command already authorised; and other bots, trusted only when the default
 * branch's config lists them (`registry.trusted_bots`).
 */
import {
  meetsLevel,
  PERMISSION_LEVELS,
  type PermissionLevel,
  type RepoConfig,
  type RequiredLevel,
} from '../core/config/index.ts';
import type { GitHubClient } from '../core/github/index.ts';
import { appIdentity } from './app-identity.ts';
import { statusOf, type HandlerContext, type RepoTarget } from './runtime.ts';

export type UserPermission = PermissionLevel | 'none';

/** Someone who pushed a tag or started a run, as the webhook or the run names them. */
export interface Actor {
  login: string;
  type: string;
}

export type Authorisation =
  | { ok: true; as: 'app' | 'trusted bot' | 'user'; permission?: UserPermission }
  | { ok: false; why: string; permission?: UserPermission };

/**
 * The user's level. `role_name` carries triage and maintain; a custom role reports its base level
 * in `permission` (admin, write, read or none), which is what it can be trusted to have.
 */
export async function userPermission(
  octokit: GitHubClient,
  target: RepoTarget,
  username: string,
): Promise<UserPermission> {
  let data;
  try {
    ({ data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: target.owner,
      repo: target.repo,
      username,
    }));
  } catch (error) {
    // 404: no such user (renamed or deleted since): no rights.
    if (statusOf(error) === 404) return 'none';
    throw error;
  }
  const role = (data as { role_name?: string }).role_name;
  if (role && (PERMISSION_LEVELS as readonly string[]).includes(role)) return role as PermissionLevel;
  const base = data.permission;
  return (PERMISSION_LEVELS as readonly string[]).includes(base) ? (base as PermissionLevel) : 'none';
}

export interface AuthoriseOptions {
  /** Whether bots listed in `registry.trusted_bots` count (tag pushes); deploy runs trust only the app. */
  trustBots: boolean;
}

/**
 * Whether `actor` may make a change that needs `required`. Costs one request for a person (their
 * permission) and, once per process, one for the app's own identity when the actor is a bot.
 */
export async function authorise(
  ctx: HandlerContext,
  config: RepoConfig,
  actor: Actor,
  required: RequiredLevel,
  options: AuthoriseOptions,
): Promise<Authorisation> {
  if (actor.type === 'Bot') {
    const { botLogin } = await appIdentity(ctx);
    if (actor.login === botLogin) return { ok: true, as: 'app' };
    if (options.trustBots && config.registry.trusted_bots.includes(actor.login)) return { ok: true, as: 'trusted bot' };
    return {
      ok: false,
      why: options.trustBots
        ? 'it is a bot that is not listed in registry.trusted_bots'
        : 'it is a bot, and only Cairn itself may start a deployment without a person who has the level',
    };
  }
  const permission = await userPermission(ctx.octokit, ctx.target, actor.login);
  if (meetsLevel(permission, required.level)) return { ok: true, as: 'user', permission };
  return { ok: false, why: `they have ${permission}`, permission };
}
