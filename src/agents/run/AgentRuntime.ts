import type { TokenCounts } from '../transcript/tokenCounts.ts';
import type { StreamParser } from '../transcript/transcriptEvent.ts';

/** Bump on any incompatible change to `AgentRuntime`, `AgentLaunch` or `AgentInvocation`. */
export const RUNTIME_API_VERSION = 1;

/** The CLI agent runtimes (a subset of the role schema's RUNTIMES). */
export type CliRuntimeId = 'claude-code' | 'codex' | 'gemini-cli';

/** Where the CLI's model API is, and how to authenticate to it. */
export interface AgentEndpoint {
  /** the API's base URL (`http://host:port`, no `/v1`); the CLI's own default when absent */
  baseUrl?: string;
  apiKey?: string;
  /** headers added to every model call (where the CLI supports it) */
  extraHeaders?: Record<string, string>;
  /** Codex: the custom provider's name in config.toml (default `baton`) */
  provider?: string;
}

/** One agent step to run: what to ask, where, within which limits. */
export interface AgentLaunch {
  prompt: string;
  /** the worktree the agent works in */
  cwd: string;
  model?: string;
  /** passed to the CLI when it has the flag (Claude); runAgent enforces its own turn budget anyway */
  maxTurns?: number;
  /** passed to the CLI when it has the flag (Claude) */
  maxBudgetUsd?: number;
  allowedTools?: string[];
  disallowedTools?: string[];
  /** Claude: `--append-system-prompt`; the others get it ahead of the prompt */
  appendSystemPrompt?: string;
  /** start a new session with this id (Claude `--session-id`, a UUID) */
  sessionId?: string;
  /** continue this session (Claude `--resume`, Codex `exec resume`, Gemini `--resume`) */
  resumeSessionId?: string;
  endpoint: AgentEndpoint;
  /** the secrets (and other variables) this step is granted: put in the child's env, redacted */
  grantedEnv: Record<string, string>;
  /** an isolated, writable temp dir: the child's HOME, the CLI's config dir below it */
  homeDir: string;
  /** how often the CLI itself retries a failed model call (default 0 for Codex, CLI default otherwise) */
  maxRetries?: number;
}

/** A config file to write (path absolute, inside `homeDir`) before starting the CLI. */
export interface ConfigFile {
  path: string;
  content: string;
}

/** How to start the CLI: its arguments, the env it needs (on top of PATH), its config files. */
export interface AgentInvocation {
  args: string[];
  env: Record<string, string>;
  files: ConfigFile[];
  /** all three CLIs wait for input on an open pipe, so stdin is closed */
  stdin: 'ignore';
}

/** Progress a runtime can read off raw stdout lines before its parser reports usage (live budgets). */
export interface LiveProgress {
  /** feed one parsed stdout line */
  push(raw: unknown): void;
  /** tokens spent so far, as far as the lines tell */
  readonly tokens: TokenCounts;
  /** model turns so far */
  readonly turns: number;
}

/** The npm package (or other install) a runtime's binary comes from. */
export interface RuntimeBinary {
  /** the executable's name on PATH / in node_modules/.bin */
  name: string;
  /** how to install it, shown when it is missing */
  install: string;
}

/** An agent CLI: how to start it and how to read what it prints. */
export interface AgentRuntime {
  apiVersion: typeof RUNTIME_API_VERSION;
  id: CliRuntimeId;
  binary: RuntimeBinary;
  invocation(launch: AgentLaunch): AgentInvocation;
  /** a new parser for one process's stdout (parsers keep state between lines) */
  createParser(): StreamParser;
  /** optional live usage tracking from raw lines (usage the parser only reports at the end) */
  createProgress?(): LiveProgress;
}
