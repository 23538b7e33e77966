/** The model providers agent concurrency can be limited by (`provider:<name>` pools). */
export const PROVIDERS = ['anthropic', 'openai', 'google', 'cursor'] as const;
export type Provider = (typeof PROVIDERS)[number];

const PROVIDER_OF: Readonly<Record<string, Provider>> = {
  'claude-code': 'anthropic',
  codex: 'openai',
  'openai-compatible': 'openai',
  'gemini-cli': 'google',
  jules: 'google',
  cursor: 'cursor',
};

/**
 * Whose API an agent runtime spends: the provider its `provider:<name>` concurrency pool is named
 * after. Null for runtimes that call no model provider (`shell`) and for unknown runtimes. The
 * runtime is taken as a string: the set of runtimes grows faster than this table's callers.
 */
export function providerOf(runtime: string): Provider | null {
  return Object.hasOwn(PROVIDER_OF, runtime) ? (PROVIDER_OF[runtime] ?? null) : null;
}

/** The concurrency pools an agent step on `runtime` belongs to: `runtime:<id>` and `provider:<name>`. */
export function agentPoolsOf(runtime: string): string[] {
  const provider = providerOf(runtime);
  return provider ? [`runtime:${runtime}`, `provider:${provider}`] : [`runtime:${runtime}`];
}

/** Whether a `concurrency_limits` key names an agent pool rather than a workflow concurrency key. */
export function isAgentPoolKey(key: string): boolean {
  return key.startsWith('runtime:') || key.startsWith('provider:');
}
