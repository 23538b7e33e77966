import type { RoleSpec } from '../../domain/agents/roleSchema.ts';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * A role's prompt with its placeholders filled: `{{ task }}` (the step's rendered prompt),
 * `{{ contract }}` (the fields of the final JSON answer) and the context the step has (`context`:
 * the text of the role's context packs, see buildContextPack; `plan`, `diff`). Unknown
 * placeholders become empty. A non-empty `context` that the template has no `{{ context }}` for
 * is appended under a `## Context` heading (before the constraints).
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
  const body = role.prompt.replace(PLACEHOLDER, (_, k: string) => all[k] ?? '');
  const usesContext = /\{\{\s*context\s*\}\}/.test(role.prompt);
  const context = all['context'] ?? '';
  const appended = !usesContext && context.trim() !== '' ? `\n\n## Context\n\n${context.trimEnd()}` : '';
  const constraints = role.constraints.length
    ? `\n\nConstraints:\n${role.constraints.map((c) => `- ${c}`).join('\n')}`
    : '';
  return body + appended + constraints;
}
