import { join } from 'node:path';
import {
  RUNTIME_API_VERSION,
  type AgentInvocation,
  type AgentLaunch,
  type AgentRuntime,
} from '../../run/AgentRuntime.ts';
import { withPreamble } from '../../run/withPreamble.ts';
import { createGeminiStreamParser } from './parseGeminiStream.ts';

/** Without `-m` Gemini CLI first makes a routing call. */
export const GEMINI_DEFAULT_MODEL = 'gemini-2.5-flash';

/** API-key auth, usage statistics and telemetry off (without it the CLI exits 41). */
export const GEMINI_SETTINGS = {
  security: { auth: { selectedType: 'gemini-api-key' } },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
};

/** `gemini -p PROMPT -m MODEL --output-format stream-json --yolo`, workspace trusted. */
export function geminiCliInvocation(l: AgentLaunch): AgentInvocation {
  const args = ['-p', withPreamble(l), '-m', l.model ?? GEMINI_DEFAULT_MODEL];
  args.push('--output-format', 'stream-json', '--yolo');
  if (l.resumeSessionId !== undefined) args.push('--resume', l.resumeSessionId);
  else if (l.sessionId !== undefined) args.push('--session-id', l.sessionId);
  const env: Record<string, string> = { HOME: l.homeDir, GEMINI_CLI_TRUST_WORKSPACE: 'true' };
  if (l.endpoint.apiKey !== undefined) env.GEMINI_API_KEY = l.endpoint.apiKey;
  if (l.endpoint.baseUrl !== undefined) env.GOOGLE_GEMINI_BASE_URL = l.endpoint.baseUrl;
  const files = [
    {
      path: join(l.homeDir, '.gemini', 'settings.json'),
      content: `${JSON.stringify(GEMINI_SETTINGS, null, 2)}\n`,
    },
  ];
  return { args, env, files, stdin: 'ignore' };
}

export const geminiCliRuntime: AgentRuntime = {
  apiVersion: RUNTIME_API_VERSION,
  id: 'gemini-cli',
  binary: { name: 'gemini', install: 'npm install @google/gemini-cli' },
  invocation: geminiCliInvocation,
  createParser: createGeminiStreamParser,
};
