/**
 * The Cairn GitHub App: git tags as the model registry, ChatOps to change it, deployments gated on
 * evaluation records. Probot verifies every webhook signature before a handler runs; each handler
 * checks the payload's shape, skips a delivery id it has handled, and keeps durable markers in
 * GitHub so that redeliveries never dispatch, tag or comment twice.
 */
import type { ApplicationFunctionOptions, Context, Probot } from 'probot';
import type { GitHubClient } from '../core/github/index.ts';
import { onIssueComment } from './chatops/handle-comment.ts';
import { onDeploymentStatus } from './deployment-status.ts';
import {
  deploymentStatusPayload,
  issueCommentPayload,
  protectionRulePayload,
  pushPayload,
  readPayload,
} from './payloads.ts';
import { onProtectionRule } from './protection-rule.ts';
import { installationClient } from './octokit.ts';
import {
  createRuntime,
  eventLogger,
  repoTarget,
  type AppRuntime,
  type AppRuntimeOptions,
  type HandlerContext,
} from './runtime.ts';
import { onTagPush } from './tag-push.ts';

export type { AppRuntime, AppRuntimeOptions } from './runtime.ts';

/** Probot passes `cwd` and `addHandler`; tests and servers may add `cairn` runtime options. */
export type CairnAppOptions = Partial<ApplicationFunctionOptions> & { cairn?: AppRuntimeOptions | AppRuntime };

function isRuntime(value: AppRuntimeOptions | AppRuntime | undefined): value is AppRuntime {
  return value !== undefined && 'guard' in value;
}

export default function cairn(app: Probot, options: CairnAppOptions = {}): void {
  const runtime = isRuntime(options.cairn) ? options.cairn : createRuntime(options.cairn);

  /** Runs `handle` once per delivery id, with the repository, client and logger it needs. */
  const deliver = async (context: Context, work: () => Promise<void>) => {
    // Deliveries always carry an id; one without (a direct receive() call) cannot be deduplicated.
    if (!context.id) return work();
    const outcome = await runtime.guard.once(context.id, work);
    if (outcome === 'duplicate')
      context.log.info(`delivery ${context.id} (${context.name}) was handled already; skipping it`);
  };
  const scope = async (
    context: Context,
    repository: Parameters<typeof repoTarget>[0],
    receivedAt: number,
  ): Promise<HandlerContext> => ({
    octokit: await installationClient(app, context),
    // Probot's JWT client, a different Octokit release than core's (see installationClient).
    appClient: async () => (await app.auth()) as unknown as GitHubClient,
    target: repoTarget(repository),
    runtime,
    logger: eventLogger(context),
    receivedAt,
  });

  app.on('push', async (context) => {
    const receivedAt = performance.now();
    // Only tags concern the registry. Branch pushes, most of a busy repository's deliveries, return
    // before any API call, and before the rest of their payload is checked: nothing else is read.
    const ref = (context.payload as { ref?: unknown }).ref;
    if (typeof ref === 'string' && !ref.startsWith('refs/tags/')) return;
    const payload = readPayload(pushPayload, context.payload, 'push');
    await deliver(context, async () => onTagPush(payload, await scope(context, payload.repository, receivedAt)));
  });

  app.on('issue_comment.created', async (context) => {
    const receivedAt = performance.now();
    const payload = readPayload(issueCommentPayload, context.payload, 'issue_comment');
    await deliver(context, async () => onIssueComment(payload, await scope(context, payload.repository, receivedAt)));
  });

  app.on('deployment_protection_rule.requested', async (context) => {
    const receivedAt = performance.now();
    const payload = readPayload(protectionRulePayload, context.payload, 'deployment_protection_rule');
    await deliver(context, async () => onProtectionRule(payload, await scope(context, payload.repository, receivedAt)));
  });

  app.on('deployment_status.created', async (context) => {
    const receivedAt = performance.now();
    const payload = readPayload(deploymentStatusPayload, context.payload, 'deployment_status');
    await deliver(context, async () =>
      onDeploymentStatus(payload, await scope(context, payload.repository, receivedAt)),
    );
  });
}
