/**
 * GitHub's own OpenAPI description of api.github.com (from @octokit/openapi), used to check that
 * a request our code sends is one GitHub would accept: the route exists for that method, path and
 * query parameters are valid, and the JSON body matches the operation's request schema.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { openApiToJsonSchema } from './openapi-schema.ts';

type Json = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
  'x-multi-segment'?: boolean;
}

export interface Operation {
  /** `POST /repos/{owner}/{repo}/check-runs`, the form @octokit uses for routes. */
  route: string;
  method: string;
  template: string;
  operationId: string;
  docs?: string;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Json }> };
  /** Status code (or `default`) -> pointer to the response object, `$ref`s followed. */
  responses: Record<string, string>;
  /** Pointer to the operation inside the description, for schema `$ref`s. */
  pointer: string;
  segments: string[];
  /** Parameters that may span several path segments (a ref, a file path). */
  multiSegment: Set<string>;
}

const DOC_ID = 'https://api.github.com/openapi.json';

interface Spec {
  doc: Json;
  operations: Map<string, Operation>;
  byMethod: Map<string, Operation[]>;
  bodyAjv: Ajv;
  paramAjv: Ajv;
  validators: Map<string, ValidateFunction>;
  /** matchRoute's answers by `METHOD /path`. */
  routes: Map<string, { op: Operation; params: Record<string, string> } | undefined>;
}

let loaded: Spec | undefined;

// ajv-formats is CommonJS whose default export TypeScript sees as a namespace under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function newAjv(coerce: boolean): Ajv {
  // strict: false because the description uses OpenAPI-only keywords (example, discriminator, x-*).
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, coerceTypes: coerce ? 'array' : false });
  addFormats(ajv);
  // Formats OpenAPI/GitHub use that JSON Schema does not define; their type is checked already.
  for (const name of ['int32', 'int64', 'double', 'float', 'binary', 'repo.nwo', 'timestamp'])
    ajv.addFormat(name, true);
  return ajv;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function specificity(op: Operation): number[] {
  // More literal segments first, then fewer multi-segment params: `/commits/{ref}/check-runs`
  // must win over `/commits/{ref}` when `ref` may span several segments.
  const literal = op.segments.filter((s) => !s.startsWith('{')).length;
  const multi = op.parameters.filter((p) => p.in === 'path' && p['x-multi-segment']).length;
  return [-literal, multi, -op.segments.length];
}

export function githubSpec(): Spec {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const path = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const doc = openApiToJsonSchema(JSON.parse(readFileSync(path, 'utf8'))) as Json & {
    paths: Record<string, Record<string, Json>>;
    components: { parameters: Record<string, Parameter> };
  };
  const operations = new Map<string, Operation>();
  const byMethod = new Map<string, Operation[]>();
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const parameters = ((raw.parameters ?? []) as Array<Parameter | { $ref: string }>).map((p) =>
        '$ref' in p ? doc.components.parameters[p.$ref.split('/').pop() as string] : p,
      );
      const op: Operation = {
        route: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        operationId: String(raw.operationId),
        docs: (raw.externalDocs as { url?: string } | undefined)?.url,
        parameters,
        requestBody: raw.requestBody as Operation['requestBody'],
        pointer: `#/paths/${escapePointer(template)}/${method}`,
        responses: Object.fromEntries(
          Object.entries((raw.responses ?? {}) as Record<string, { $ref?: string }>).map(([code, response]) => [
            code,
            response.$ref ?? `#/paths/${escapePointer(template)}/${method}/responses/${code}`,
          ]),
        ),
        segments: template.split('/').slice(1),
        multiSegment: new Set(parameters.filter((p) => p['x-multi-segment']).map((p) => p.name)),
      };
      operations.set(op.route, op);
      byMethod.set(op.method, [...(byMethod.get(op.method) ?? []), op]);
    }
  }
  for (const ops of byMethod.values()) {
    ops.sort((a, b) => {
      const [x, y] = [specificity(a), specificity(b)];
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
    });
  }
  const bodyAjv = newAjv(false);
  bodyAjv.addSchema({ ...doc, $id: DOC_ID });
  loaded = { doc, operations, byMethod, bodyAjv, paramAjv: newAjv(true), validators: new Map(), routes: new Map() };
  return loaded;
}

/** The operation for a route written as `METHOD /template`, or undefined when GitHub has none. */
export function findOperation(route: string): Operation | undefined {
  const [method, template] = route.trim().split(/\s+/);
  return githubSpec().operations.get(`${method?.toUpperCase()} ${template}`);
}

/** A malformed %-escape is kept as sent; GitHub would 404 such a path, and so do we. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchSegments(template: string[], actual: string[], op: Operation): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const multi = op.multiSegment;
  let i = 0;
  for (let t = 0; t < template.length; t++) {
    const part = template[t];
    const name = /^\{[^{}]+\}$/.test(part) ? part.slice(1, -1) : undefined;
    if (!name && part.includes('{')) {
      // Several parameters in one segment: compare's `{base}...{head}`.
      const names: string[] = [];
      const pattern = part.replace(/\{(\w+)\}|[^{}]+/g, (text, param?: string) =>
        param ? (names.push(param), '(.+?)') : text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      );
      const match = new RegExp(`^${pattern}$`).exec(decode(actual[i++] ?? ''));
      if (!match) return undefined;
      names.forEach((param, k) => (params[param] = match[k + 1]));
    } else if (name && multi.has(name)) {
      // A multi-segment parameter (a ref like `heads/main`, a file path) takes what the rest of
      // the template leaves over; @octokit sends it %2F-encoded, other clients may not.
      const take = actual.length - i - (template.length - t - 1);
      if (take < 1) return undefined;
      params[name] = actual
        .slice(i, i + take)
        .map(decode)
        .join('/');
      i += take;
    } else if (name) {
      if (i >= actual.length || actual[i] === '') return undefined;
      params[name] = decode(actual[i++]);
    } else if (actual[i++] !== part) {
      return undefined;
    }
  }
  return i === actual.length ? params : undefined;
}

/** Finds the operation a concrete request path belongs to (path without base prefix or query). */
export function matchRoute(
  method: string,
  pathname: string,
): { op: Operation; params: Record<string, string> } | undefined {
  // Remembered per path: a fake GitHub sees the same few paths thousands of times (bench/app), and
  // trying every operation in turn was most of its cost.
  const key = `${method.toUpperCase()} ${pathname}`;
  const spec = githubSpec();
  const copy = (match: { op: Operation; params: Record<string, string> } | undefined) =>
    match && { op: match.op, params: { ...match.params } };
  if (spec.routes.has(key)) return copy(spec.routes.get(key));
  const actual = pathname.split('/').slice(1);
  let found: { op: Operation; params: Record<string, string> } | undefined;
  for (const op of spec.byMethod.get(method.toUpperCase()) ?? []) {
    const params = matchSegments(op.segments, actual, op);
    if (params) {
      found = { op, params };
      break;
    }
  }
  if (spec.routes.size >= 10_000) spec.routes.clear();
  spec.routes.set(key, found);
  return copy(found);
}

/** Methods GitHub accepts on this path, to say "PATCH is not allowed here, GET and POST are". */
export function methodsForPath(pathname: string): string[] {
  return [...githubSpec().byMethod.keys()].filter((m) => matchRoute(m, pathname));
}

export function describeErrors(errors: ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).map((e) => {
    const at = `${root}${e.instancePath.replace(/\//g, '.')}`;
    const allowed =
      e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
    return `${at} ${e.message}${allowed}`;
  });
}

/** A validator for `schema` taken from the description at `pointer` (refs resolve in the doc). */
export function schemaValidator(pointer: string, kind: 'body' | 'param', schema?: Json): ValidateFunction {
  const spec = githubSpec();
  const key = `${kind}:${pointer}`;
  let validate = spec.validators.get(key);
  if (!validate) {
    validate =
      kind === 'body'
        ? spec.bodyAjv.compile({ $ref: `${DOC_ID}${pointer}` })
        : // Parameters carry small inline schemas; coercion turns "42" into 42 as GitHub would.
          spec.paramAjv.compile(schema ?? {});
    spec.validators.set(key, validate);
  }
  return validate;
}

/** Pointer to the request body's JSON schema, for `schemaValidator(pointer, 'body')`. */
export function requestBodyPointer(op: Operation, type = 'application/json'): string {
  return `${op.pointer}/requestBody/content/${escapePointer(type)}/schema`;
}

/** Pointer to the JSON schema of the response with `status`, if GitHub documents one. */
export function responseBodyPointer(op: Operation, status: number, type = 'application/json'): string | undefined {
  const response = op.responses[String(status)] ?? op.responses.default;
  return response ? `${response}/content/${escapePointer(type)}/schema` : undefined;
}

/** True when the description has a schema at `pointer`. */
export function hasSchema(pointer: string): boolean {
  let node: unknown = githubSpec().doc;
  for (const part of pointer.replace(/^#\//, '').split('/')) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node !== undefined;
}
