import { describe, expect, it } from 'vitest';
import { roleSpecSchema, type RoleSpecInput } from '../../domain/agents/roleSchema.ts';
import { renderRolePrompt } from './renderRolePrompt.ts';

const role = (r: Partial<RoleSpecInput>) =>
  roleSpecSchema.parse({ title: 'Implementer', prompt: 'Do: {{ task }}', ...r });

describe('renderRolePrompt', () => {
  it('fills the placeholders; unknown ones and a missing context become empty', () => {
    const r = role({
      prompt: 'Task: {{task}}\nAnswer with {{ contract }}.\n{{ nope }}{{ context }}',
      output: { fields: { summary: { type: 'string', required: true } } },
    });
    expect(renderRolePrompt(r, { task: 'fix it' })).toBe(
      'Task: fix it\nAnswer with "summary" (string, required).\n',
    );
  });

  it('puts the context packs where the template has {{ context }}', () => {
    const r = role({ prompt: '{{ context }}\n\nNow: {{ task }}', constraints: ['no force pushes'] });
    expect(renderRolePrompt(r, { task: 'fix it', context: '### a.ts\n\n```ts\nx\n```' })).toBe(
      '### a.ts\n\n```ts\nx\n```\n\nNow: fix it\n\nConstraints:\n- no force pushes',
    );
  });

  it('appends the context under a heading when the template has no {{ context }}, before the constraints', () => {
    const r = role({ constraints: ['be brief'] });
    expect(renderRolePrompt(r, { task: 'fix it', context: '### a.ts\n\n```ts\nx\n```\n' })).toBe(
      'Do: fix it\n\n## Context\n\n### a.ts\n\n```ts\nx\n```\n\nConstraints:\n- be brief',
    );
    expect(renderRolePrompt(r, { task: 'fix it', context: '  \n' })).toBe(
      'Do: fix it\n\nConstraints:\n- be brief',
    );
  });

  it('does not expand placeholders found inside the context or the task', () => {
    const r = role({ prompt: '{{ task }} | {{ context }}' });
    expect(renderRolePrompt(r, { task: '{{ context }}', context: '{{ task }} $& $1' })).toBe(
      '{{ context }} | {{ task }} $& $1',
    );
  });
});
