/**
 * The app on AWS Lambda (API Gateway or a function URL) through Probot's serverless adapter
 * (@probot/adapter-aws-lambda-serverless: its request handler, as its createLambdaFunction uses
 * it), with two things the adapter leaves out: base64 bodies (function URLs send them) are decoded before the
 * signature check, and a rejected delivery answers with its status (400 for a bad signature or
 * payload) instead of failing the invocation, which API Gateway would turn into a 502. API Gateway
 * and Lambda cap what reaches the handler (10 MB and 6 MB), below GitHub's 25 MiB; a body over that
 * from anything else (another proxy, a local invoke) is answered 413 before it is decoded.
 */
import lambdaFunction from '@probot/adapter-aws-lambda-serverless/lambda-function.js';
import type { ApplicationFunctionOptions, Probot } from 'probot';
import { WEBHOOK_BODY_LIMIT } from './body-limit.ts';
import cairn, { type CairnAppOptions } from './index.ts';

export interface LambdaEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined> | null;
  httpMethod?: string;
  path?: string;
  requestContext?: unknown;
  [key: string]: unknown;
}

export interface LambdaResult {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

/** The first status an error carries (webhooks wrap handler errors in an AggregateError). */
function errorStatus(error: unknown): number {
  const inner = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const status = (inner as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** The body's size in bytes, without decoding it. */
function bodyBytes(body: string, base64: boolean): number {
  return base64 ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body, 'utf8');
}

export function createCairnLambda(
  probot: Probot,
  options: CairnAppOptions = {},
): (event: LambdaEvent, context: unknown) => Promise<LambdaResult> {
  // As the adapter's createLambdaFunction: load the app once per container, outside the handler.
  const loaded = probot.load((app: Probot, appOptions: ApplicationFunctionOptions) =>
    cairn(app, { ...appOptions, ...options }),
  );
  return async (event, context) => {
    if (typeof event.body === 'string' && bodyBytes(event.body, event.isBase64Encoded === true) > WEBHOOK_BODY_LIMIT) {
      return {
        statusCode: 413,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          error: `request body larger than ${WEBHOOK_BODY_LIMIT} bytes (GitHub sends webhook payloads of at most 25 MiB)`,
        }),
      };
    }
    const body =
      event.isBase64Encoded && typeof event.body === 'string'
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
    const headers = Object.fromEntries(
      Object.entries(event.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
    );
    if (!headers['x-github-event'] || !headers['x-github-delivery'] || !headers['x-hub-signature-256']) {
      return {
        statusCode: 400,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'missing X-GitHub-Event, X-GitHub-Delivery or X-Hub-Signature-256' }),
      };
    }
    try {
      await loaded;
      return await lambdaFunction(probot, { ...event, body, headers, isBase64Encoded: false }, context);
    } catch (error) {
      const statusCode = errorStatus(error);
      probot.log.error({ err: error }, `webhook delivery ${headers['x-github-delivery']} failed (${statusCode})`);
      return {
        statusCode,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: statusCode < 500 ? (error as Error).message : 'internal error' }),
      };
    }
  };
}
