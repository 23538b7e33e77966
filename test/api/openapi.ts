import fc from 'fast-check';
import { z } from 'zod';

/** The parts of the published OpenAPI document the contract tests read. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  additionalProperties?: boolean | JsonSchema;
}

export interface Operation {
  method: string;
  path: string;
  parameters: Array<{
    in: 'path' | 'query' | 'header';
    name: string;
    required?: boolean;
    schema: JsonSchema;
  }>;
  body: JsonSchema | undefined;
  responses: Record<string, JsonSchema | undefined>;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Operation['parameters'];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
        responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
      }
    >
  >;
}

export function operationsOf(doc: unknown): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries((doc as OpenApiDoc).paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const responses: Operation['responses'] = {};
      for (const [status, r] of Object.entries(op.responses)) {
        responses[status] = r.content ? Object.values(r.content)[0]?.schema : undefined;
      }
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: op.requestBody ? Object.values(op.requestBody.content)[0]?.schema : undefined,
        responses,
      });
    }
  }
  return out;
}

/** A validator built from the published JSON schema (not from the zod source). */
export function validatorOf(schema: JsonSchema): z.ZodType {
  return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
}

const junk = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(''),
  fc.constant('-1'),
  fc.constant('x'.repeat(3000)),
  fc.constant('%00'),
  fc.constant({}),
  fc.constant([]),
);

/** Values drawn from a schema, mixed with values that violate it (a fuzzer, not a generator). */
export function arbitraryOf(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return junk;
  const variants: Array<fc.Arbitrary<unknown>> = [junk];
  if (schema.enum) variants.push(fc.constantFrom(...schema.enum));
  if (schema.const !== undefined) variants.push(fc.constant(schema.const));
  for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])])
    variants.push(arbitraryOf(s, depth + 1));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  for (const t of types) {
    switch (t) {
      case 'string':
        variants.push(
          fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }),
        );
        if (schema.pattern)
          variants.push(fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length < 60));
        break;
      case 'integer':
        variants.push(
          fc.integer({
            min: Math.max(schema.minimum ?? -1e6, -1e9),
            max: Math.min(schema.maximum ?? 1e6, 1e9),
          }),
        );
        break;
      case 'number':
        variants.push(fc.double({ noNaN: true, min: -1e6, max: 1e6 }));
        break;
      case 'boolean':
        variants.push(fc.boolean());
        break;
      case 'null':
        variants.push(fc.constant(null));
        break;
      case 'array':
        variants.push(fc.array(arbitraryOf(schema.items, depth + 1), { maxLength: 3 }));
        break;
      case 'object': {
        const props = schema.properties ?? {};
        const rec: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of Object.entries(props)) rec[k] = arbitraryOf(v, depth + 1);
        variants.push(fc.record(rec, { requiredKeys: [] }));
        variants.push(fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 3 }));
        break;
      }
    }
  }
  return fc.oneof(...variants);
}
