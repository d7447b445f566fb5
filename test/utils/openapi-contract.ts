import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Checks an answer of the API against the committed OpenAPI document (openapi.json, the file the
 * web's types are generated from): every property the schema requires is there with its type,
 * and nothing is answered that the schema does not describe. A DTO that says what the code
 * does not return fails here, not in the browser.
 */

type Schema = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
};

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

const document: Document = JSON.parse(readFileSync(join(process.cwd(), 'openapi.json'), 'utf8'));

/** The response schema of `METHOD /path` for a status; the path as called (ids filled in). */
export function responseSchema(method: string, url: string, status: number, json = true): Schema {
  const path = url.split('?')[0];
  const template = Object.keys(document.paths).find((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
  if (!template) throw new Error(`openapi.json has no path for ${path}`);
  const operation = document.paths[template][method.toLowerCase()];
  if (!operation) throw new Error(`openapi.json has no ${method} ${template}`);
  const response = operation.responses[String(status)] ?? (status >= 400 ? operation.responses.default : undefined);
  if (!response) throw new Error(`openapi.json names no ${status} answer for ${method} ${template}`);
  const schema = response.content?.['application/json']?.schema;
  if (!json) return {};
  if (!schema) throw new Error(`openapi.json gives ${method} ${template} ${status} no JSON schema`);
  return schema;
}

/** What in `value` disagrees with the schema, as "path: problem" lines (empty when it conforms). */
export function contractProblems(schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.$ref) return contractProblems(document.components.schemas[schema.$ref.replace('#/components/schemas/', '')], value, at);
  if (value === null) return schema.nullable ? [] : [`${at}: null, not nullable`];
  if (schema.allOf) return schema.allOf.flatMap((s) => contractProblems(s, value, at));
  if (schema.oneOf) {
    return schema.oneOf.some((s) => contractProblems(s, value, at).length === 0) ? [] : [`${at}: ${JSON.stringify(value)} matches none of oneOf`];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: ${JSON.stringify(value)} is not a string`];
    case 'number':
    case 'integer':
      return typeof value === 'number' ? [] : [`${at}: ${JSON.stringify(value)} is not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: ${JSON.stringify(value)} is not a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return value.flatMap((v, i) => (schema.items ? contractProblems(schema.items, v, `${at}[${i}]`) : []));
    case 'object':
    case undefined: {
      if (schema.type === undefined && !schema.properties) return [];
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      const problems: string[] = [];
      for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${at}.${key}: missing`);
      for (const [key, v] of Object.entries(record)) {
        const property = schema.properties?.[key];
        if (property) problems.push(...contractProblems(property, v, `${at}.${key}`));
        else if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
          problems.push(...contractProblems(schema.additionalProperties, v, `${at}.${key}`));
        else if (!schema.additionalProperties) problems.push(`${at}.${key}: answered but not in the schema`);
      }
      return problems;
    }
    default:
      return [];
  }
}

/** An error answer checked against the one error shape (ErrorBodyDto), for a route openapi.json has not. */
export function errorContractOf(res: { status: number; body: unknown }): string[] {
  return contractProblems({ $ref: '#/components/schemas/ErrorBodyDto' }, res.body).map((p) => `${res.status} ${p}`);
}

/** A supertest answer checked against openapi.json; returns the problems for expect(...).toEqual([]). */
export function contractOf(method: string, url: string, res: { status: number; body: unknown; text?: string }): string[] {
  if (res.status === 204) {
    responseSchema(method, url, 204, false);
    return res.text ? [`${method} ${url} 204 answered a body`] : [];
  }
  return contractProblems(responseSchema(method, url, res.status), res.body).map((p) => `${method} ${url} ${res.status} ${p}`);
}
