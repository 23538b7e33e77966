import { describe, expect, it } from 'vitest';
import { resolveRole } from '../../domain/agents/resolveRole.ts';
import { contractJsonSchema } from './contractJsonSchema.ts';

describe('contractJsonSchema', () => {
  it('turns the reviewer contract into a JSON Schema with the verdict enum and required fields', () => {
    const role = resolveRole('code-reviewer', undefined);
    if (!role || 'error' in role) throw new Error('no code-reviewer role');
    const schema = contractJsonSchema(role.spec.output);
    expect(schema).toMatchObject({ type: 'object' });
    const props = schema?.properties as Record<string, { type: string; enum?: string[] }>;
    expect(props.verdict).toEqual(
      expect.objectContaining({ type: 'string', enum: ['approve', 'changes_requested'] }),
    );
    expect(schema?.required).toContain('verdict');
  });
  it('is undefined for a contract without fields', () => {
    expect(contractJsonSchema({ fields: {} })).toBeUndefined();
  });
});
