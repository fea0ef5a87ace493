/**
 * Cairn as a custom deployment protection rule: a deployment to a stage's environment is approved
 * only when the model version being deployed has an evaluation record whose gate for that stage
 * passes; otherwise it is rejected, and either way the reviewers see why, the key metrics and a
 * link to the model card.
 *
 * What is deployed comes from the deployment's ref: the assignment tag (Cairn dispatches the deploy
 * workflow from it) or a registration tag; for another ref, the version registered at its commit.
 * Gates and stages come from the default branch's config, which the deployed commit cannot change.
 * Whoever started the run must have the stage's level; a stage with no gate rejects everything.
 */
import { findGate, type RepoConfig, requiredLevel, trustedApps } from '../core/config/index.ts';
import { isUserError, UserError } from '../core/errors.ts';
import { readRecordOnCommit } from '../core/github/index.ts';
import { evaluateGate, type GateResult, parseGate } from '../core/metrics/index.ts';
import {
  findTagEvent,
  isRegistryTag,
  isVersion,
  parseTag,
  type RegistryState,
  type VersionState,
} from '../core/registry/index.ts';
import { type DeploymentReviewInput, renderDeploymentReview } from '../core/report/index.ts';
import { MalformedPayloadError, type ProtectionRulePayload } from './payloads.ts';
import { authorise } from './permission.ts';
import { aboutModel, loadRegistry, previousHolder, requireConfig, requireModel } from './registry-source.ts';
import { statusOf, type HandlerContext, type RepoTarget } from './runtime.ts';

type Deployment = NonNullable<ProtectionRulePayload['deployment']>;

/**
 * The workflow run the callback URL names. The review is sent through our own API base URL with
 * that id, never to the URL itself: a payload must not be able to send the app's token elsewhere.
 */
export function callbackRunId(url: string, target: RepoTarget): number {
  const match = /\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/deployment_protection_rule\/?$/.exec(
    new URL(url).pathname,
  );
  if (
    !match ||
    decodeURIComponent(match[1]).toLowerCase() !== target.owner.toLowerCase() ||
    decodeURIComponent(match[2]).toLowerCase() !== target.repo.toLowerCase()
  ) {
    throw new MalformedPayloadError(
      `deployment_callback_url ${url} is not a protection-rule callback of ${target.fullName}`,
    );
  }
  return Number(match[3]);
}

/** The stage whose environment this is: `stages.<s>.environment`, else the stage of that name. */
function stageOfEnvironment(config: RepoConfig, environment: string): string {
  const byEnvironment = Object.entries(config.stages).find(([, stage]) => stage.environment === environment);
  if (byEnvironment) return byEnvironment[0];
  if (Object.hasOwn(config.stages, environment) && !config.stages[environment].environment) return environment;
  throw new UserError(
    `environment "${environment}" belongs to no stage in .github/cairn.yml; set stages.<stage>.environment: ${environment} (or name a stage ${environment})`,
  );
}

/** Which model and version the deployment ships. */
function deployedVersion(
  state: RegistryState,
  deployment: Deployment,
  stage: string,
): { model: string; version: VersionState } {
  const ref = deployment.ref.replace(/^refs\/tags\//, '');
  if (isRegistryTag(ref)) {
    const parsed = parseTag(ref);
    if (parsed.event === 'assignment' && parsed.stage !== stage) {
      throw new UserError(
        `the deployment runs from ${ref}, which assigns ${parsed.stage}, but this environment is stage ${stage}`,
      );
    }
    if (parsed.event !== 'assignment' && parsed.event !== 'registration')
      throw new UserError(`the deployment runs from ${ref}, a ${parsed.event} tag; deploy from an assignment tag`);
    const model = Object.hasOwn(state.models, parsed.name) ? state.models[parsed.name] : undefined;
    const versionName = parsed.version ?? findTagEvent(state, ref)?.version;
    const version =
      model?.versions.find((v) => v.version === versionName && v.sha === deployment.sha) ??
      model?.versions.find((v) => v.version === versionName);
    if (!version || !isVersion(version.version))
      throw new UserError(
        `${ref} names no registered version of ${parsed.name}; register the commit before deploying it`,
      );
    if (!version.active) throw new UserError(`${parsed.name} ${version.version} is deregistered`);
    if (version.sha !== deployment.sha) {
      throw new UserError(
        `the deployment is of commit ${deployment.sha.slice(0, 7)}, but ${parsed.name} ${version.version} is commit ${version.sha.slice(0, 7)}`,
      );
    }
    return { model: parsed.name, version };
  }
  const matches = Object.values(state.models).flatMap((m) =>
    m.versions
      .filter((v) => v.active && isVersion(v.version) && v.sha === deployment.sha)
      .map((v) => ({ model: m.name, version: v })),
  );
  if (matches.length === 1) return matches[0];
  throw new UserError(
    matches.length === 0
      ? `commit ${deployment.sha.slice(0, 7)} (ref ${deployment.ref}) is no registered model version; deploy from the assignment tag Cairn dispatches`
      : `commit ${deployment.sha.slice(0, 7)} is a version of several models (${matches.map((m) => m.model).join(', ')}); deploy from an assignment tag so Cairn knows which`,
  );
}

/**
 * Whoever started (or re-ran) the run must have the stage's level: a hand-run deploy workflow, or a
 * re-run of one Cairn dispatched, is a stage change by that person. Cairn's own bot dispatches only
 * for tags it honoured. The run itself names them (`triggering_actor`; `actor` on older servers).
 */
async function requireRunStarter(ctx: HandlerContext, config: RepoConfig, stage: string, runId: number): Promise<void> {
  const { data: run } = await ctx.octokit.rest.actions.getWorkflowRun({
    owner: ctx.target.owner,
    repo: ctx.target.repo,
    run_id: runId,
  });
  const starter = run.triggering_actor ?? run.actor;
  if (!starter)
    throw new UserError(
      `workflow run ${runId} names no one who started it, so Cairn cannot tell whether they may deploy to ${stage}`,
    );
  const required = requiredLevel(config, { event: 'assignment', stage });
  const auth = await authorise(ctx, config, { login: starter.login, type: starter.type }, required, {
    trustBots: false,
  });
  if (!auth.ok) {
    throw new UserError(
      `the run was started by ${starter.login}, and deploying to ${stage} needs ${required.level} permission (stages.${stage}.promote in .github/cairn.yml): ${auth.why}. Someone with ${required.level} permission may re-run it, or promote with a /cairn command.`,
    );
  }
}

/** The tags a deployment is about: those on its commit and its ref first, then its model's. */
function aboutDeployment(deployment: Deployment) {
  const ref = deployment.ref.replace(/^refs\/tags\//, '');
  let model: string | undefined;
  try {
    model = isRegistryTag(ref) ? parseTag(ref).name : undefined;
  } catch {
    model = undefined; // the decision says what is wrong with the ref
  }
  return aboutModel(model, (tag) => tag.sha === deployment.sha || tag.tag === ref);
}

async function decide(
  ctx: HandlerContext,
  payload: ProtectionRulePayload,
  runId: number,
): Promise<DeploymentReviewInput> {
  const { octokit, target, logger } = ctx;
  const environment = payload.environment;
  const reasons: string[] = [];
  const review: DeploymentReviewInput = { approved: false, environment, reasons };
  try {
    const deployment = payload.deployment;
    if (!deployment) throw new UserError('the event names no deployment, so there is no model version to check');
    const config = await requireConfig(octokit, target, target.defaultBranch, ctx.runtime);
    const stage = stageOfEnvironment(config, environment);
    review.stage = stage;
    await requireRunStarter(ctx, config, stage, runId);
    const registry = await loadRegistry(ctx, { about: aboutDeployment(deployment) });
    const { model, version } = deployedVersion(registry.state, deployment, stage);
    Object.assign(review, {
      model,
      version: version.version,
      cardUrl: `${target.htmlUrl}/releases/tag/${encodeURIComponent(version.tag)}`,
    });
    const modelConfig = requireModel(config, model);
    const trusted = trustedApps(config);
    const { record, ignored } = await readRecordOnCommit(octokit, {
      owner: target.owner,
      repo: target.repo,
      sha: version.sha,
      model,
      trustedApps: trusted,
      logger,
    });
    reasons.push(...ignored.map((run) => `${run.message}; trust it with evidence.trusted_apps in .github/cairn.yml.`));
    if (!record)
      throw new UserError(
        `commit ${version.sha.slice(0, 7)} has no "cairn: ${model}" evaluation record; run the evaluation on it first`,
      );
    review.report = record.report;
    review.recordUrl = record.checkRun.url;

    const expression = findGate(modelConfig, stage);
    let gate: GateResult | undefined;
    if (expression) {
      const baseline = await stageBaseline(ctx, registry.state, model, stage, version, trusted);
      if (baseline) review.baseline = baseline;
      gate = evaluateGate(parseGate(expression), record.report, baseline?.report);
      review.gate = gate;
    } else {
      // Never the record's own gate: the evaluated commit's workflow wrote it, and could have written anything.
      throw new UserError(
        `no gate for ${stage} in .github/cairn.yml on ${target.defaultBranch}: set models.${model}.gates.${stage} (or gates.default); without one Cairn rejects every deployment to ${stage}`,
      );
    }
    review.approved = gate.passed;
    if (!gate.passed) reasons.push(`The ${stage} gate failed for ${model} ${version.version}.`);
  } catch (error) {
    if (!isUserError(error)) throw error;
    review.approved = false;
    reasons.push(error.message);
  }
  return review;
}

/** The stage's holder before this version, and its record: the baseline of `baseline` gate rules. */
async function stageBaseline(
  ctx: HandlerContext,
  state: RegistryState,
  model: string,
  stage: string,
  version: VersionState,
  trusted: readonly number[],
) {
  const modelState = state.models[model];
  const holder = modelState.stages[stage];
  const previous =
    holder && !(holder.version === version.version && holder.sha === version.sha)
      ? { version: holder.version, sha: holder.sha }
      : previousHolder(modelState, stage);
  if (!previous) return undefined;
  const { record } = await readRecordOnCommit(ctx.octokit, {
    owner: ctx.target.owner,
    repo: ctx.target.repo,
    sha: previous.sha,
    model,
    trustedApps: trusted,
    logger: ctx.logger,
  });
  return record ? { version: previous.version, report: record.report } : undefined;
}

export async function onProtectionRule(payload: ProtectionRulePayload, ctx: HandlerContext): Promise<void> {
  const { octokit, target, logger } = ctx;
  const runId = callbackRunId(payload.deployment_callback_url, target);
  await ctx.runtime.guard.exclusive(`protection:${target.fullName}:${runId}:${payload.environment}`, async () => {
    const review = await decide(ctx, payload, runId);
    const state = review.approved ? 'approved' : 'rejected';
    try {
      await octokit.rest.actions.reviewCustomGatesForRun({
        owner: target.owner,
        repo: target.repo,
        run_id: runId,
        environment_name: payload.environment,
        state,
        comment: renderDeploymentReview(review),
      });
    } catch (error) {
      // 422 once the rule has been reviewed: a redelivery after the first answer. The first answer stands.
      if (statusOf(error) !== 422) throw error;
      logger.warn(
        `GitHub refused the review of run ${runId} for ${payload.environment} (${(error as Error).message}); it was most likely reviewed already`,
      );
      return;
    }
    logger.info(
      `${state} the deployment of run ${runId} to ${payload.environment}${review.model ? ` (${review.model} ${review.version})` : ''}`,
    );
  });
}
