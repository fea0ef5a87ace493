/**
 * Webhook payloads for the app tests: real GitHub payloads from @octokit/webhooks-examples, moved
 * to the test repository (acme/churn) and installation; `deployment_protection_rule`, which the
 * examples lack, is built from the pieces of real payloads and checked against GitHub's webhook
 * schema (@octokit/openapi-webhooks) before use.
 */
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { INSTALLATION_ID } from './probot.ts';

const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;

interface ExampleGroup {
  name: string;
  examples: Json[];
}

const EXAMPLES = require('@octokit/webhooks-examples') as ExampleGroup[];

export const OWNER = 'acme';
export const REPO = 'churn';
export const FULL_NAME = `${OWNER}/${REPO}`;
export const HTML_URL = `https://github.com/${FULL_NAME}`;

function clone<T>(value: T): T {
  return structuredClone(value);
}

function example(name: string, pick: (payload: Json) => boolean): Json {
  const found = EXAMPLES.find((group) => group.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example matches`);
  return clone(found);
}

/** Rewrites every Codertocat/Hello-World URL and name in a payload to acme/churn. */
function moveToTestRepo<T>(payload: T): T {
  const text = JSON.stringify(payload)
    .replace(/Codertocat\/Hello-World/g, FULL_NAME)
    .replace(/"full_name":"[^"]*"/g, `"full_name":"${FULL_NAME}"`);
  const moved = JSON.parse(text) as Json;
  const repository = moved.repository as Json;
  Object.assign(repository, { name: REPO, full_name: FULL_NAME, html_url: HTML_URL, default_branch: 'main' });
  Object.assign(repository.owner as Json, { login: OWNER, html_url: `https://github.com/${OWNER}` });
  moved.installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=' };
  return moved as T;
}

export function user(login: string, type: 'User' | 'Bot' = 'User'): Json {
  const sender = clone((example('push', (p) => p.sender !== undefined).sender as Json) ?? {});
  return { ...sender, login, type, html_url: `https://github.com/${login}` };
}

export interface PushOptions {
  /** What the ref points at after the push; the example's commit unless told. */
  after?: string;
  deleted?: boolean;
  sender?: string;
  senderType?: 'User' | 'Bot';
}

/**
 * A push of `refs/tags/<tag>` (or a branch), from the example tag push; by `maintainer` unless
 * `sender` says who. A tag push the app should act on comes from the fake repository's
 * `pushEvent`, whose `after` is the tag's object as GitHub sends it.
 */
export function pushPayload(ref: string, options: PushOptions = {}): Json {
  const payload = moveToTestRepo(example('push', (p) => String(p.ref).startsWith('refs/tags/') && p.deleted === false));
  const deleted = options.deleted ?? false;
  const login = options.sender ?? 'maintainer';
  const sender = user(login, options.senderType ?? (login.endsWith('[bot]') ? 'Bot' : 'User'));
  const pusher = { name: login, email: `${login}@example.com` };
  return {
    ...payload,
    ref,
    deleted,
    created: !deleted,
    after: deleted ? '0'.repeat(40) : (options.after ?? payload.after),
    sender,
    pusher,
  };
}

/** `issue_comment.created` on issue (or pull request) `issueNumber`. */
export function commentPayload(
  body: string,
  options: { id?: number; login?: string; type?: 'User' | 'Bot'; issueNumber?: number; pullRequest?: boolean } = {},
): Json {
  const payload = moveToTestRepo(example('issue_comment', (p) => p.action === 'created'));
  const login = options.login ?? 'maintainer';
  const id = options.id ?? 9001;
  const issueNumber = options.issueNumber ?? 12;
  const author = user(login, options.type);
  const issue = payload.issue as Json;
  Object.assign(issue, { number: issueNumber, html_url: `${HTML_URL}/issues/${issueNumber}` });
  if (options.pullRequest)
    issue.pull_request = {
      url: `https://api.github.com/repos/${FULL_NAME}/pulls/${issueNumber}`,
      html_url: `${HTML_URL}/pull/${issueNumber}`,
    };
  Object.assign(payload.comment as Json, {
    id,
    body,
    user: author,
    html_url: `${HTML_URL}/issues/${issueNumber}#issuecomment-${id}`,
  });
  payload.sender = author;
  return payload;
}

function deploymentFrom(options: { id: number; ref: string; sha: string; environment: string }): Json {
  const deployment = moveToTestRepo(example('deployment_status', (p) => p.deployment !== undefined)).deployment as Json;
  return {
    ...deployment,
    id: options.id,
    ref: options.ref,
    sha: options.sha,
    environment: options.environment,
    original_environment: options.environment,
  };
}

/** `deployment_status.created`, from the example successful deployment. */
export function deploymentStatusPayload(options: {
  id?: number;
  ref: string;
  sha: string;
  environment: string;
  state: string;
  targetUrl?: string;
}): Json {
  const payload = moveToTestRepo(
    example('deployment_status', (p) => (p.deployment_status as Json).state === 'success'),
  );
  const id = options.id ?? 7001;
  payload.deployment = deploymentFrom({ id, ref: options.ref, sha: options.sha, environment: options.environment });
  Object.assign(payload.deployment_status as Json, {
    state: options.state,
    environment: options.environment,
    target_url: options.targetUrl ?? `${HTML_URL}/actions/runs/555`,
    updated_at: '2024-05-01T10:00:00Z',
  });
  return payload;
}

/** `deployment_protection_rule.requested` as GitHub sends it for a workflow run waiting on an environment. */
export function protectionRulePayload(options: {
  environment: string;
  ref: string;
  sha: string;
  runId?: number;
  callbackRepo?: string;
  deployment?: boolean;
}): Json {
  const base = moveToTestRepo(example('deployment_status', (p) => (p.deployment_status as Json).state === 'success'));
  const runId = options.runId ?? 555;
  const payload: Json = {
    action: 'requested',
    environment: options.environment,
    event: 'workflow_dispatch',
    deployment_callback_url: `https://api.github.com/repos/${options.callbackRepo ?? FULL_NAME}/actions/runs/${runId}/deployment_protection_rule`,
    ...(options.deployment === false
      ? {}
      : {
          deployment: deploymentFrom({
            id: 7001,
            ref: options.ref,
            sha: options.sha,
            environment: options.environment,
          }),
        }),
    pull_requests: [],
    repository: base.repository,
    installation: base.installation,
    sender: base.sender,
  };
  checkWebhookPayload('deployment-protection-rule-requested', payload);
  return payload;
}

let ajv: Ajv | undefined;

/** Asserts `payload` matches GitHub's schema for webhook `key` (e.g. `deployment-protection-rule-requested`). */
export function checkWebhookPayload(key: string, payload: unknown): void {
  const doc = require('@octokit/openapi-webhooks/generated/api.github.com.json') as {
    webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: Json }> } } }>;
    components: Json;
  };
  if (!ajv) {
    const addFormats = addFormatsModule as unknown as (instance: Ajv) => Ajv;
    ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    ajv.addSchema({ $id: 'webhooks.json', components: doc.components });
  }
  const schema = doc.webhooks[key].post.requestBody.content['application/json'].schema;
  const ref = String(schema.$ref).replace('#', 'webhooks.json#');
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  if (!validate(payload))
    throw new Error(`${key} payload does not match GitHub's schema: ${ajv.errorsText(validate.errors)}`);
}
