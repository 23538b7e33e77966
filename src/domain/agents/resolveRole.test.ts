import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from './builtinRoles.ts';
import { canonicalRoleName, resolveRole } from './resolveRole.ts';

describe('the role catalog', () => {
  it('has the roles of the issue, pipeline roles merged into them', () => {
    for (const name of [
      'spec-writer',
      'roadmap-decomposer',
      'acceptance-criteria-author',
      'issue-planner',
      'developer',
      'refactorer',
      'test-author',
      'code-reviewer',
      'qa-tester',
      'security-auditor',
      'release-manager',
      'infra-deploy-engineer',
      'starter',
      'verifier',
    ]) {
      expect(BUILTIN_ROLES.has(name), name).toBe(true);
    }
    expect(['coding', 'reviewer', 'deployer', 'auditor'].map(canonicalRoleName)).toEqual([
      'developer',
      'code-reviewer',
      'infra-deploy-engineer',
      'security-auditor',
    ]);
    expect(BUILTIN_ROLES.get('code-reviewer')!.output.fields['verdict']).toMatchObject({
      type: 'enum',
      values: ['approve', 'changes_requested'],
      required: true,
    });
  });

  it('merges a stored override, keeps custom roles, and reports an invalid stored spec', () => {
    const builtin = resolveRole('developer', undefined);
    expect(builtin).toMatchObject({ source: 'builtin', spec: { runtime: 'claude-code' } });
    expect((builtin as { onboarding: string }).onboarding).toContain('`changesetSummary` (string), required');
    const override = resolveRole('developer', {
      name: 'developer',
      spec: { title: 'Dev', prompt: 'do {{ task }}', runtime: 'codex' },
      onboarding: '# ours',
      updatedAt: 1,
      updatedBy: 'amy',
    });
    expect(override).toMatchObject({
      source: 'override',
      spec: { runtime: 'codex', constraints: [] },
      onboarding: '# ours',
    });
    expect(
      resolveRole('x', {
        name: 'x',
        spec: { title: 'X', prompt: 'p' },
        onboarding: null,
        updatedAt: 1,
        updatedBy: null,
      }),
    ).toMatchObject({
      source: 'custom',
    });
    expect(
      resolveRole('x', {
        name: 'x',
        spec: { title: 'X', runtime: 'nope', prompt: 'p' },
        onboarding: null,
        updatedAt: 1,
        updatedBy: null,
      }),
    ).toEqual({
      error: expect.stringContaining('runtime') as unknown,
    });
    expect(resolveRole('nope', undefined)).toBeUndefined();
  });
});
