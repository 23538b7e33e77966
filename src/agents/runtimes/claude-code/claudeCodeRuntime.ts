import { join } from 'node:path';
import {
  RUNTIME_API_VERSION,
  type AgentInvocation,
  type AgentLaunch,
  type AgentRuntime,
} from '../../run/AgentRuntime.ts';
import { createClaudeLiveProgress } from './claudeLiveProgress.ts';
import { createClaudeStreamParser } from './parseClaudeStream.ts';

/** `claude -p … --output-format stream-json --verbose --permission-mode acceptEdits` (AGENT-PROTOCOLS.md). */
export function claudeCodeInvocation(l: AgentLaunch): AgentInvocation {
  const args = ['-p', l.prompt, '--output-format', 'stream-json', '--verbose'];
  args.push('--permission-mode', 'acceptEdits');
  if (l.model !== undefined) args.push('--model', l.model);
  if (l.maxTurns !== undefined) args.push('--max-turns', String(l.maxTurns));
  if (l.maxBudgetUsd !== undefined) args.push('--max-budget-usd', String(l.maxBudgetUsd));
  if (l.resumeSessionId !== undefined) args.push('--resume', l.resumeSessionId);
  else if (l.sessionId !== undefined) args.push('--session-id', l.sessionId);
  if (l.allowedTools?.length) args.push('--allowedTools', ...l.allowedTools);
  if (l.disallowedTools?.length) args.push('--disallowedTools', ...l.disallowedTools);
  if (l.appendSystemPrompt !== undefined) args.push('--append-system-prompt', l.appendSystemPrompt);
  const env: Record<string, string> = {
    HOME: l.homeDir,
    CLAUDE_CONFIG_DIR: join(l.homeDir, '.claude'),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
  };
  const { baseUrl, apiKey, extraHeaders } = l.endpoint;
  if (baseUrl !== undefined) env.ANTHROPIC_BASE_URL = baseUrl;
  if (apiKey !== undefined) env.ANTHROPIC_API_KEY = apiKey;
  const headers = Object.entries(extraHeaders ?? {});
  if (headers.length > 0) env.ANTHROPIC_CUSTOM_HEADERS = headers.map(([k, v]) => `${k}: ${v}`).join('\n');
  if (l.maxRetries !== undefined) env.CLAUDE_CODE_MAX_RETRIES = String(l.maxRetries);
  return { args, env, files: [], stdin: 'ignore' };
}

export const claudeCodeRuntime: AgentRuntime = {
  apiVersion: RUNTIME_API_VERSION,
  id: 'claude-code',
  binary: { name: 'claude', install: 'npm install @anthropic-ai/claude-code' },
  invocation: claudeCodeInvocation,
  createParser: createClaudeStreamParser,
  createProgress: createClaudeLiveProgress,
};
