import { assertExhaustive } from '../../domain/assertExhaustive.ts';
import type { RoleSpec } from '../../domain/agents/roleSchema.ts';

type Field = RoleSpec['output']['fields'][string];

function fieldSchema(f: Field): Record<string, unknown> {
  const described = f.description === undefined ? {} : { description: f.description };
  switch (f.type) {
    case 'string':
      return { type: 'string', ...described };
    case 'string[]':
      return { type: 'array', items: { type: 'string' }, ...described };
    case 'object':
      return { type: 'object', ...described };
    case 'object[]':
      return { type: 'array', items: { type: 'object' }, ...described };
    case 'enum':
      return { type: 'string', enum: f.values ?? [], ...described };
    default:
      return assertExhaustive(f.type);
  }
}

/** A role's output contract as a JSON Schema (structured output of OpenAI-compatible APIs); undefined without fields. */
export function contractJsonSchema(contract: RoleSpec['output']): Record<string, unknown> | undefined {
  const entries = Object.entries(contract.fields);
  if (entries.length === 0) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(entries.map(([k, f]) => [k, fieldSchema(f)])),
    required: entries.filter(([, f]) => f.required).map(([k]) => k),
  };
}
