/**
 * The parts of each webhook payload the app reads, checked before anything runs. A payload that
 * lacks them (a forged or truncated delivery that still carries a valid signature, a GitHub
 * change) is answered 400 by the webhook middleware, with nothing done, instead of a crash midway.
 */
import { z } from 'zod';

/** Probot's middleware answers a handler error with its `status`; 400 says "your payload is wrong". */
export class MalformedPayloadError extends Error {
  override name = 'MalformedPayloadError';
  readonly status = 400;
}

const login = z.string().min(1);
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const sha = z.string().regex(SHA, 'expected a commit SHA');
/** A git object's SHA: a commit, or for an annotated tag's ref the tag object. */
const objectSha = z.string().regex(SHA, 'expected a git object SHA');

const repository = z.looseObject({
  name: z.string().min(1),
  full_name: z.string().min(1),
  default_branch: z.string().min(1),
  html_url: z.string().url(),
  owner: z.looseObject({ login }),
});

const sender = z.looseObject({ login, type: z.string() });

const installation = z.looseObject({ id: z.number().int().positive() });

export const pushPayload = z.looseObject({
  ref: z.string().min(1),
  deleted: z.boolean(),
  // What the ref points at after the push (zeros when deleted): for an annotated tag, the tag
  // object. The app judges only that object, never a later one pushed under the same name.
  after: objectSha,
  repository,
  installation,
  // Who pushed: a tag is honoured only when they may make its change (app/tag-push.ts).
  sender,
});

export const issueCommentPayload = z.looseObject({
  action: z.string(),
  comment: z.looseObject({
    id: z.number().int().positive(),
    body: z.string(),
    html_url: z.string(),
    user: z.looseObject({ login, type: z.string() }),
  }),
  issue: z.looseObject({ number: z.number().int().positive(), pull_request: z.unknown().optional() }),
  repository,
  installation,
  sender,
});

const deployment = z.looseObject({
  id: z.number().int().positive(),
  sha,
  ref: z.string().min(1),
  environment: z.string().min(1),
});

export const protectionRulePayload = z.looseObject({
  environment: z.string().min(1),
  deployment_callback_url: z.string().url(),
  // The schema lets GitHub leave it out; without it there is nothing to judge, and the rule rejects.
  deployment: deployment.optional(),
  repository,
  installation,
});

export const deploymentStatusPayload = z.looseObject({
  deployment_status: z.looseObject({
    state: z.string().min(1),
    environment: z.string().optional(),
    target_url: z.string().nullish(),
    log_url: z.string().nullish(),
    created_at: z.string(),
    updated_at: z.string().optional(),
  }),
  deployment,
  repository,
  installation,
});

export type PushPayload = z.output<typeof pushPayload>;
export type IssueCommentPayload = z.output<typeof issueCommentPayload>;
export type ProtectionRulePayload = z.output<typeof protectionRulePayload>;
export type DeploymentStatusPayload = z.output<typeof deploymentStatusPayload>;
export type RepositoryPayload = z.output<typeof repository>;

/** The payload checked against `schema`, or a MalformedPayloadError naming the first bad fields. */
export function readPayload<T extends z.ZodType>(schema: T, payload: unknown, event: string): z.output<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  throw new MalformedPayloadError(`malformed ${event} payload: ${problems.join('; ')}`);
}
