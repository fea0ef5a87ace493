/**
 * What this run deploys, by the same rule as the app's deployment protection rule
 * (app/protection-rule.ts): the deployment GitHub makes for the run, which the rule judged, is of the
 * run's ref and commit (GITHUB_REF, GITHUB_SHA). So the version shipped must be the one that ref and
 * commit name:
 * - on a registry tag (`name#stage#N`, `name@vX.Y.Z`), the tag's model, stage and version; an
 *   assignment tag's version is the one registered at its commit;
 * - on any other ref (a hand-run on a branch, or `deploy.ref: main` in .github/cairn.yml), the
 *   version registered at the run's commit, i.e. the branch head.
 * Model, version and stage inputs may only repeat what the tag says; the version's commit is checked
 * against the run's commit in evaluated-bytes.ts, which resolves its registration tag anyway.
 */
import { UserError } from '../../core/errors.ts';
import { isRegistryTag, parseTag, tagFromRef, type ParsedTag } from '../../core/registry/index.ts';
import { optionalInput } from '../shared/action-logger.ts';
import type { RunnerContext } from '../shared/runner-env.ts';

export interface DeployRequest {
  model: string;
  version: string;
  stage: string;
}

/** The commit and ref the run (and so its deployment) is on. */
export interface RunCommit {
  sha: string;
  ref?: string;
}

export function runCommit(context: RunnerContext): RunCommit {
  if (!context.sha)
    throw new UserError(
      'GITHUB_SHA is not set: the deploy ships only the version registered at the commit the run is on, so it needs that commit.',
    );
  return { sha: context.sha, ...(context.ref ? { ref: context.ref } : {}) };
}

/** Inputs first, then the workflow_dispatch inputs, then the registry tag the run is on; a tag's values may not be contradicted. */
export function deployRequest(context: RunnerContext): DeployRequest {
  const dispatch = (context.payload.inputs ?? {}) as Record<string, unknown>;
  const fromDispatch = (name: string) =>
    typeof dispatch[name] === 'string' && dispatch[name] !== '' ? dispatch[name] : undefined;
  const tag = context.ref ? tagFromRef(context.ref) : undefined;
  const parsed: ParsedTag | undefined = tag !== undefined && isRegistryTag(tag) ? parseTag(tag) : undefined;
  if (tag !== undefined && parsed && parsed.event !== 'assignment' && parsed.event !== 'registration') {
    throw new UserError(
      `this run is on ${tag}, a ${parsed.event} tag, which deploys nothing; run the deploy workflow on an assignment tag (name#stage#N) or a registration tag (name@vX.Y.Z).`,
    );
  }
  const pick = (name: keyof DeployRequest, fromTag: string | undefined, hint: string): string => {
    const value = optionalInput(name) ?? fromDispatch(name) ?? fromTag;
    if (value === undefined)
      throw new UserError(
        `no ${name} to deploy: set the ${name} input, or dispatch the workflow with a ${name} input${hint}.`,
      );
    return value;
  };
  const request = {
    model: pick('model', parsed?.name, ', or run it on a registry tag'),
    version: pick('version', parsed?.event === 'registration' ? parsed.version : undefined, ''),
    stage: pick('stage', parsed?.stage, ', or run it on an assignment tag (name#stage#N)'),
  };
  if (tag !== undefined && parsed) requireTagAgrees(tag, parsed, request);
  return request;
}

/**
 * The protection rule judged the version the tag names; a different model, stage or version in the
 * inputs would ship something it never approved.
 */
function requireTagAgrees(tag: string, parsed: ParsedTag, request: DeployRequest): void {
  const disagree: Array<[keyof DeployRequest, string]> = [];
  if (request.model !== parsed.name) disagree.push(['model', parsed.name]);
  if (parsed.stage !== undefined && request.stage !== parsed.stage) disagree.push(['stage', parsed.stage]);
  if (parsed.version !== undefined && request.version !== parsed.version) disagree.push(['version', parsed.version]);
  if (disagree.length === 0) return;
  const said = disagree.map(([name, value]) => `${name} ${request[name]} (the tag says ${value})`).join(', ');
  throw new UserError(
    `refusing to deploy: this run is on tag ${tag}, and the deployment the stage's protection rule checked is what that tag names, but the inputs ask for ${said}. ` +
      `Leave those inputs empty or set them to what the tag says, or run the deploy workflow on the tag of what you mean to deploy.`,
  );
}
