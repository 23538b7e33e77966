/**
 * The secrets an agent step asks for (`agent.secrets: [NAME]`), from the server's environment: only
 * names the operator allows steps to receive (BATON_STEP_ENV), and only when set. Forge credentials
 * are never among them (DESIGN §6): pushes and pull requests are Baton's, host-side.
 */
export function grantedSecrets(
  names: readonly string[],
  allowed: readonly string[],
  env: NodeJS.ProcessEnv,
): { env: Record<string, string> } | { problem: string } {
  const out: Record<string, string> = {};
  for (const name of names) {
    if (!allowed.includes(name))
      return {
        problem: `agent.secrets names ${name}, which steps may not receive: add it to BATON_STEP_ENV on the server`,
      };
    const value = env[name];
    if (value === undefined || value === '')
      return { problem: `agent.secrets names ${name}, which is not set in the server's environment` };
    out[name] = value;
  }
  return { env: out };
}
