import { BUILTIN_ROLES, ROLE_ALIASES } from './builtinRoles.ts';
import { roleSpecSchema, type RoleSpec } from './roleSchema.ts';

export type RoleSource = 'builtin' | 'override' | 'custom';

/** A role as a workspace sees it: a built-in, a workspace's override of one, or its own. */
export interface CatalogRole {
  name: string;
  source: RoleSource;
  spec: RoleSpec;
  onboarding: string;
  updatedAt: number | null;
  updatedBy: string | null;
}

export interface StoredRoleLike {
  name: string;
  spec: unknown;
  onboarding: string | null;
  updatedAt: number;
  updatedBy: string | null;
}

/** The canonical name of a role (`coding` → `developer`, …). */
export function canonicalRoleName(name: string): string {
  return ROLE_ALIASES[name] ?? name;
}

/** Built-in onboarding: what a role is for, its constraints and the contract of its answer. */
export function defaultOnboarding(name: string, spec: RoleSpec): string {
  const fields = Object.entries(spec.output.fields)
    .map(
      ([k, f]) =>
        `- \`${k}\` (${f.type}${f.values ? `: ${f.values.join(' | ')}` : ''})${f.required ? ', required' : ''}${f.description ? `: ${f.description}` : ''}`,
    )
    .join('\n');
  const constraints = spec.constraints.map((c) => `- ${c}`).join('\n');
  return `# ${spec.title} (\`${name}\`)\n\n${spec.description}\n\n## Constraints\n\n${constraints || '- none beyond the workspace defaults'}\n\n## Your final answer\n\n${fields || '- free text'}\n`;
}

/**
 * Merges a stored row over the built-in of the same name. A stored spec that no longer validates
 * (written by an older Baton) is reported with its path, not used.
 */
export function resolveRole(
  name: string,
  stored: StoredRoleLike | undefined,
): CatalogRole | { error: string } | undefined {
  const builtin = BUILTIN_ROLES.get(name);
  if (!stored) {
    return builtin
      ? {
          name,
          source: 'builtin',
          spec: builtin,
          onboarding: defaultOnboarding(name, builtin),
          updatedAt: null,
          updatedBy: null,
        }
      : undefined;
  }
  const parsed = roleSpecSchema.safeParse(stored.spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      error: `stored role "${name}" is invalid at ${issue?.path.join('.') || 'spec'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return {
    name,
    source: builtin ? 'override' : 'custom',
    spec: parsed.data,
    onboarding: stored.onboarding ?? defaultOnboarding(name, parsed.data),
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
  };
}
