/**
 * Checks one HTTP request against GitHub's OpenAPI description and says, in words a test failure
 * can show, everything GitHub would reject (or silently ignore, which hides a bug just as well).
 */
import {
  requestBodyPointer,
  responseBodyPointer,
  hasSchema,
  findOperation,
  describeErrors,
  matchRoute,
  methodsForPath,
  schemaValidator,
  type Operation,
} from './github-openapi.ts';

export interface RequestInput {
  method: string;
  /** Path and query as sent, e.g. `/api/v3/repos/o/r/issues?page=2`. */
  path: string;
  /** Path prefix of a GitHub Enterprise base URL (`/api/v3`), stripped before matching. */
  basePath?: string;
  contentType?: string;
  /** Parsed JSON when the body was JSON, the raw string otherwise, undefined when none. */
  body: unknown;
}

export interface CheckOptions {
  /** GitHub ignores unknown query parameters and body fields; by default we call them mistakes. */
  allowUnknownFields?: boolean;
}

export interface CheckedRequest {
  method: string;
  pathname: string;
  query: Record<string, string>;
  body: unknown;
  /** The matched operation, when the path and method exist. */
  operation?: Operation;
  params: Record<string, string>;
  /** Empty when GitHub would accept the request. */
  violations: string[];
  /** What GitHub answers such a request with: 404 for an unknown route, 422 for invalid input. */
  rejectStatus?: 404 | 422;
}

const PARAM_TYPES = new Set(['integer', 'number', 'boolean']);

function checkParameters(
  op: Operation,
  params: Record<string, string>,
  query: URLSearchParams,
  options: CheckOptions,
): string[] {
  const problems: string[] = [];
  const values: Record<'path' | 'query', Record<string, unknown>> = { path: params, query: {} };
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    values.query[key] = all.length > 1 ? all : all[0];
  }
  for (const param of op.parameters) {
    if (param.in !== 'path' && param.in !== 'query') continue;
    const value = values[param.in][param.name];
    if (value === undefined) {
      if (param.required) problems.push(`${param.in} parameter "${param.name}" is required`);
      continue;
    }
    const schema = param.schema ?? {};
    // Octokit joins array query values with commas; OpenAPI's default form style repeats the key.
    const typed = schema.type === 'array' && typeof value === 'string' ? value.split(',') : value;
    const holder = { value: typed };
    const validate = schemaValidator(`${op.pointer}#${param.in}.${param.name}`, 'param', {
      type: 'object',
      properties: { value: schema },
    });
    if (!validate(holder))
      problems.push(
        ...describeErrors(validate.errors, `${param.in} parameter "${param.name}"`).map((m) => m.replace('.value', '')),
      );
    else if (PARAM_TYPES.has(String(schema.type)) && String(value).trim() === '')
      problems.push(`${param.in} parameter "${param.name}" is empty`);
  }
  if (!options.allowUnknownFields) {
    const known = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const key of Object.keys(values.query)) {
      if (!known.has(key))
        problems.push(
          `query parameter "${key}" is not accepted here (GitHub ignores it; known: ${[...known].join(', ') || 'none'})`,
        );
    }
  }
  return problems;
}

function isEmptyBody(body: unknown): boolean {
  return (
    body === undefined || body === '' || (typeof body === 'object' && body !== null && Object.keys(body).length === 0)
  );
}

function checkBody(op: Operation, input: RequestInput, options: CheckOptions): string[] {
  const spec = op.requestBody;
  if (!spec) return isEmptyBody(input.body) ? [] : ['body: this operation takes no request body'];
  if (input.body === undefined) return spec.required ? ['body is required'] : [];
  const json = spec.content['application/json'];
  const type = (input.contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!json || (type !== '' && type !== 'application/json')) {
    const accepted = Object.keys(spec.content);
    return accepted.includes(type) || (type === '' && !json)
      ? []
      : [`body: content type "${type}" is not accepted (accepted: ${accepted.join(', ')})`];
  }
  let body = input.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return ['body is not valid JSON'];
    }
  }
  const validate = schemaValidator(requestBodyPointer(op), 'body');
  const problems = validate(body) ? [] : describeErrors(validate.errors, 'body');
  const schema = json.schema ?? {};
  const properties = schema.properties as Record<string, unknown> | undefined;
  // Most request schemas do not forbid extra fields, and GitHub drops them silently: a misspelt
  // field is then a bug nobody sees. Only checked where the schema lists its fields plainly.
  if (
    !options.allowUnknownFields &&
    properties &&
    schema.additionalProperties === undefined &&
    body &&
    typeof body === 'object' &&
    !Array.isArray(body)
  ) {
    for (const key of Object.keys(body)) {
      if (!(key in properties))
        problems.push(
          `body.${key} is not a field of this operation (GitHub ignores it; fields: ${Object.keys(properties).join(', ')})`,
        );
    }
  }
  return problems;
}

export function checkGithubRequest(input: RequestInput, options: CheckOptions = {}): CheckedRequest {
  const url = new URL(input.path, 'http://github.invalid');
  const basePath = (input.basePath ?? '').replace(/\/+$/, '');
  let pathname = url.pathname;
  if (basePath && pathname.startsWith(`${basePath}/`)) pathname = pathname.slice(basePath.length);
  const method = input.method.toUpperCase();
  const query = Object.fromEntries(url.searchParams);
  const base = { method, pathname, query, body: input.body, params: {} };
  const where = `${method} ${pathname}`;
  const match = matchRoute(method, pathname);
  if (!match) {
    const allowed = methodsForPath(pathname);
    const why =
      allowed.length > 0
        ? `GitHub allows only ${allowed.join(', ')} on this path`
        : 'no such route in the GitHub REST API';
    return { ...base, violations: [`${where}: ${why}`], rejectStatus: 404 };
  }
  const { op, params } = match;
  const problems = [...checkParameters(op, params, url.searchParams, options), ...checkBody(op, input, options)];
  const label = `${where} [${op.operationId}]`;
  return {
    ...base,
    operation: op,
    params,
    violations: problems.map((p) => `${label}: ${p}${op.docs ? ` (see ${op.docs})` : ''}`),
    rejectStatus: problems.length > 0 ? 422 : undefined,
  };
}

/**
 * Checks a scripted reply against the response GitHub documents for `route` and `status`, so a
 * fake cannot drift from what GitHub really sends. Empty when it matches (or nothing is documented).
 */
export function checkGithubResponse(route: string, status: number, data: unknown): string[] {
  const op = findOperation(route);
  if (!op) return [`${route}: no such route in the GitHub REST API`];
  if (!op.responses[String(status)] && !op.responses.default) {
    return [`${route}: GitHub never answers ${status} here (documented: ${Object.keys(op.responses).join(', ')})`];
  }
  const pointer = responseBodyPointer(op, status);
  if (!pointer || !hasSchema(pointer)) return [];
  const validate = schemaValidator(pointer, 'body');
  return validate(data) ? [] : describeErrors(validate.errors, 'response').map((m) => `${route} -> ${status}: ${m}`);
}
