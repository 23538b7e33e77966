import type { AgentEndpoint, CliRuntimeId } from '../../agents/run/AgentRuntime.ts';

/**
 * Where a runtime's model API is, from the server's environment (never from the workflow file, and
 * never passed to `run:` steps): the variables each vendor's tools read.
 */
export function endpointFor(runtime: CliRuntimeId, env: NodeJS.ProcessEnv): AgentEndpoint {
  const pick = (url: string | undefined, key: string | undefined): AgentEndpoint => ({
    ...(url ? { baseUrl: url.replace(/\/+$/, '').replace(/\/v1$/, '') } : {}),
    ...(key ? { apiKey: key } : {}),
  });
  switch (runtime) {
    case 'claude-code':
      return pick(env.ANTHROPIC_BASE_URL, env.ANTHROPIC_API_KEY);
    case 'codex':
      return pick(env.OPENAI_BASE_URL, env.OPENAI_API_KEY);
    case 'gemini-cli':
      return pick(env.GOOGLE_GEMINI_BASE_URL, env.GEMINI_API_KEY);
  }
}

/** The variables `endpointFor` reads, for messages. */
export const ENDPOINT_VARIABLES: Readonly<Record<CliRuntimeId, string>> = {
  'claude-code': 'ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY',
  codex: 'OPENAI_BASE_URL, OPENAI_API_KEY',
  'gemini-cli': 'GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY',
};
