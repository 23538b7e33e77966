import type { HttpEndpoint, HttpRuntimeId } from '../../agents/run/HttpAgentRuntime.ts';
import type { NamedEndpoint } from './agentStepPorts.ts';

/** The server variables each HTTP runtime reads when no named endpoint is given: [base URL, key]. */
export const HTTP_ENDPOINT_VARIABLES: Readonly<Record<HttpRuntimeId, readonly [string[], string[]]>> = {
  'openai-compatible': [
    ['OPENAI_COMPATIBLE_BASE_URL', 'OPENAI_BASE_URL'],
    ['OPENAI_COMPATIBLE_API_KEY', 'OPENAI_API_KEY'],
  ],
  jules: [['JULES_BASE_URL'], ['JULES_API_KEY']],
  cursor: [['CURSOR_BASE_URL'], ['CURSOR_API_KEY']],
};

const first = (env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined =>
  names.map((n) => env[n]).find((v) => v !== undefined && v !== '');

/**
 * Where an HTTP agent runtime's API is and its key: a named endpoint of the config (its key from
 * the variable it names), else the runtime's server variables. The key never comes from the workflow.
 */
export function httpEndpointFor(
  runtime: HttpRuntimeId,
  env: NodeJS.ProcessEnv,
  named?: { name: string; endpoint: NamedEndpoint },
): HttpEndpoint | { problem: string } {
  if (named) {
    const e = named.endpoint;
    const key = e.apiKeyEnv === undefined ? undefined : env[e.apiKeyEnv];
    if (e.apiKeyEnv !== undefined && !key)
      return {
        problem: `endpoint "${named.name}" reads its key from ${e.apiKeyEnv}, which is not set in the server's environment`,
      };
    return {
      apiKey: key ?? 'none',
      ...(e.baseUrl === undefined ? {} : { baseUrl: e.baseUrl }),
      ...(e.headers === undefined ? {} : { extraHeaders: e.headers }),
    };
  }
  const [urls, keys] = HTTP_ENDPOINT_VARIABLES[runtime];
  const apiKey = first(env, keys);
  if (!apiKey)
    return {
      problem: `the ${runtime} runtime needs an API key: set ${keys.join(' or ')} in the server's environment, or name an endpoint (agents.endpoints) with agent.endpoint`,
    };
  const baseUrl = first(env, urls);
  return { apiKey, ...(baseUrl ? { baseUrl: baseUrl.replace(/\/+$/, '') } : {}) };
}
