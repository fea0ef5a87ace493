/**
 * Who may change the registry from a comment: the commenter's permission on the repository, as
 * GitHub reports it, must reach the level the stage's config asks for (`stages.<s>.promote`).
 */
import type { PermissionLevel } from '../../core/config/index.ts';
import { PERMISSION_LEVELS } from '../../core/config/index.ts';
import type { GitHubClient } from '../../core/github/octokit.ts';
import { statusOf, type RepoTarget } from '../runtime.ts';

/** Registering a version makes no stage change; it needs what pushing a tag needs. */
export const REGISTER_PERMISSION: PermissionLevel = 'write';

export type UserPermission = PermissionLevel | 'none';

/**
 * The user's level. `role_name` carries triage and maintain; a custom role reports its base level
 * in `permission` (admin, write, read or none), which is what it can be trusted to have.
 */
export async function userPermission(octokit: GitHubClient, target: RepoTarget, username: string): Promise<UserPermission> {
  let data;
  try {
    ({ data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: target.owner, repo: target.repo, username }));
  } catch (error) {
    // 404: no such user (renamed or deleted since commenting): no rights.
    if (statusOf(error) === 404) return 'none';
    throw error;
  }
  const role = (data as { role_name?: string }).role_name;
  if (role && (PERMISSION_LEVELS as readonly string[]).includes(role)) return role as PermissionLevel;
  const base = data.permission;
  return (PERMISSION_LEVELS as readonly string[]).includes(base) ? (base as PermissionLevel) : 'none';
}

export function meetsLevel(actual: UserPermission, required: PermissionLevel): boolean {
  return actual !== 'none' && PERMISSION_LEVELS.indexOf(actual) >= PERMISSION_LEVELS.indexOf(required);
}
