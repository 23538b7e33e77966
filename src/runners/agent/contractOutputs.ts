import type { RoleSpec } from '../../domain/agents/roleSchema.ts';

const MAX_VALUE = 60 * 1024;

/**
 * The step outputs of an agent's final answer, checked against its role's output contract: every
 * required field present, enums within their values. Strings stay as they are, other values are JSON.
 */
export function contractOutputs(
  answer: Record<string, unknown> | undefined,
  contract: RoleSpec['output'] | undefined,
): { outputs: Record<string, string>; problem?: string } {
  const outputs: Record<string, string> = {};
  const fields = contract?.fields ?? {};
  for (const [name, f] of Object.entries(fields)) {
    const v = answer?.[name];
    if (v === undefined || v === null) {
      if (f.required) {
        return {
          outputs,
          problem: answer
            ? `the final answer lacks the required field "${name}"`
            : `the agent ended without the JSON answer its role asks for (fields: ${Object.keys(fields).join(', ')})`,
        };
      }
      continue;
    }
    if (f.type === 'enum' && !(typeof v === 'string' && f.values?.includes(v))) {
      return {
        outputs,
        problem: `field "${name}" is ${JSON.stringify(v)}, not one of ${f.values?.join(', ')}`,
      };
    }
    outputs[name] = truncate(typeof v === 'string' ? v : JSON.stringify(v));
  }
  // without a contract, the answer's top-level fields become outputs as they are
  if (!contract || Object.keys(fields).length === 0) {
    for (const [k, v] of Object.entries(answer ?? {})) {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
        outputs[k] = truncate(typeof v === 'string' ? v : JSON.stringify(v));
    }
  }
  return { outputs };
}

function truncate(s: string): string {
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
}
