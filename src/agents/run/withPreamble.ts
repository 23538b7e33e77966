import type { AgentLaunch } from './AgentRuntime.ts';

/** For CLIs with no system-prompt flag: the extra instructions go ahead of the prompt. */
export function withPreamble(l: AgentLaunch): string {
  return l.appendSystemPrompt === undefined ? l.prompt : `${l.appendSystemPrompt}\n\n${l.prompt}`;
}
