import type { RoleSpec } from '../../domain/agents/roleSchema.ts';

/**
 * A role's prompt with its placeholders filled: `{{ task }}` (the step's rendered prompt),
 * `{{ contract }}` (the fields of the final JSON answer) and the context the step has (`context`,
 * `plan`, `diff`: empty until context packs are gathered). Unknown placeholders become empty.
 */
export function renderRolePrompt(role: RoleSpec, vars: Record<string, string>): string {
  const contract = Object.entries(role.output.fields)
    .map(
      ([k, f]) =>
        `"${k}" (${f.type === 'enum' ? f.values?.join(' | ') : f.type}${f.required ? ', required' : ''})`,
    )
    .join(', ');
  const all: Record<string, string> = {
    contract: contract || 'any fields',
    context: '',
    plan: '',
    diff: '',
    ...vars,
  };
  const body = role.prompt.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, k: string) => all[k] ?? '');
  const constraints = role.constraints.length
    ? `\n\nConstraints:\n${role.constraints.map((c) => `- ${c}`).join('\n')}`
    : '';
  return body + constraints;
}
