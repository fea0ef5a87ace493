/**
 * OpenAPI 3.0 schemas are almost JSON Schema; `nullable` is the difference that matters for
 * validation. Ajv only honours `nullable` next to `type` (and then still rejects null against an
 * `enum`), so we rewrite it into plain JSON Schema once, in place, when the description loads.
 */

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null;
}

function convertNullable(schema: Node): void {
  if (schema.nullable !== true) {
    delete schema.nullable;
    return;
  }
  delete schema.nullable;
  if (typeof schema.type === 'string' || Array.isArray(schema.type)) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.includes('null')) schema.type = [...types, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    return;
  }
  // No `type` (a $ref, allOf, anyOf...): null or whatever the rest of the schema allows.
  const rest: Node = {};
  for (const key of Object.keys(schema)) {
    if (key !== 'description' && key !== 'title') {
      rest[key] = schema[key];
      delete schema[key];
    }
  }
  schema.anyOf = [rest, { type: 'null' }];
}

/** Rewrites every schema in an OpenAPI 3.0 document (mutates and returns it). */
export function openApiToJsonSchema<T>(doc: T): T {
  const seen = new Set<unknown>();
  const walk = (node: unknown, isPropertyMap: boolean): void => {
    if (!isNode(node) || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) walk(item, false);
      return;
    }
    if (!isPropertyMap && 'nullable' in node) convertNullable(node);
    for (const [key, value] of Object.entries(node)) {
      // Examples are sample data, not schemas: a field named `nullable` there means nothing.
      // Inside `properties` the keys are field names, so a field called `examples` is a schema.
      if (!isPropertyMap && (key === 'example' || key === 'examples')) continue;
      walk(value, !isPropertyMap && key === 'properties');
    }
  };
  walk(doc, false);
  return doc;
}
