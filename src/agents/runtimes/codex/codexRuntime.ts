import { join } from 'node:path';
import {
  RUNTIME_API_VERSION,
  type AgentInvocation,
  type AgentLaunch,
  type AgentRuntime,
} from '../../run/AgentRuntime.ts';
import { withPreamble } from '../../run/withPreamble.ts';
import { CODEX_KEY_ENV, codexConfigToml } from './codexConfig.ts';
import { createCodexStreamParser } from './parseCodexStream.ts';

/** `codex exec --json -s workspace-write PROMPT` or `codex exec --json resume THREAD PROMPT`. */
export function codexInvocation(l: AgentLaunch): AgentInvocation {
  const codexHome = join(l.homeDir, '.codex');
  const prompt = withPreamble(l);
  const args =
    l.resumeSessionId === undefined
      ? ['exec', '--json', '-s', 'workspace-write', prompt]
      : ['exec', '--json', 'resume', l.resumeSessionId, prompt];
  const env: Record<string, string> = { HOME: l.homeDir, CODEX_HOME: codexHome };
  const key = l.endpoint.apiKey;
  if (key !== undefined) env[l.endpoint.baseUrl === undefined ? 'OPENAI_API_KEY' : CODEX_KEY_ENV] = key;
  const files = [{ path: join(codexHome, 'config.toml'), content: codexConfigToml(l) }];
  return { args, env, files, stdin: 'ignore' };
}

export const codexRuntime: AgentRuntime = {
  apiVersion: RUNTIME_API_VERSION,
  id: 'codex',
  binary: { name: 'codex', install: 'npm install @openai/codex' },
  invocation: codexInvocation,
  createParser: createCodexStreamParser,
};
