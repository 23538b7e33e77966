import type { AgentRunOptions, AgentRunResult } from './AgentRunResult.ts';

/** Bump on any incompatible change to `HttpAgentRuntime`, `HttpAgentLaunch` or `HttpAgentRunOptions`. */
export const HTTP_RUNTIME_API_VERSION = 1;

/** The agent runtimes that are HTTP APIs rather than CLIs (a subset of the role schema's RUNTIMES). */
export type HttpRuntimeId = 'openai-compatible' | 'jules' | 'cursor';

/** Where the API is and the key for it (the key is redacted from every event and reason). */
export interface HttpEndpoint {
  /** e.g. `http://127.0.0.1:PORT/v1`; each runtime's public URL when absent */
  baseUrl?: string;
  apiKey: string;
  /** headers added to every call */
  extraHeaders?: Record<string, string>;
}

/** The repository a remote agent (Jules, Cursor) clones and works on. */
export interface RemoteSource {
  /** Jules: `sources/github-owner-repo` or `owner/repo`; Cursor: `https://github.com/owner/repo` or `owner/repo` */
  repository: string;
  /** the branch (or ref) to start from */
  branch?: string;
}

/** The role's output contract: the model is asked for JSON matching it (structured output). */
export interface ResponseFormat {
  /** a name for the schema (letters, digits, `_`, `-`) */
  name: string;
  schema: Record<string, unknown>;
  /** ask the API to enforce the schema strictly (default false: many servers reject strict schemas) */
  strict?: boolean;
}

/** One agent step run through an HTTP API. */
export interface HttpAgentLaunch {
  prompt: string;
  model?: string;
  endpoint: HttpEndpoint;
  /** openai-compatible: a system message; Jules/Cursor: put ahead of the prompt */
  systemPrompt?: string;
  /** openai-compatible only */
  responseFormat?: ResponseFormat;
  /** Jules and Cursor: required */
  source?: RemoteSource;
  /** Jules: the session's title */
  title?: string;
  /** Jules and Cursor: open a pull request at the end (default true) */
  autoCreatePr?: boolean;
  /** Cursor: the branch the agent pushes to */
  targetBranch?: string;
  /**
   * Cursor: send the prompt as a follow-up to this agent (its id) instead of launching a new one;
   * Jules: follow this session again (after a restart) instead of creating one
   */
  resumeSessionId?: string;
}

/** What the engine answers to a Jules plan (it turns the callback into a Baton approval). */
export type PlanDecision = 'approved' | 'rejected';

export interface JulesPlan {
  id: string;
  steps: { title: string; description?: string }[];
}

/** Cursor: finish on the signed `statusChange` webhook instead of polling the status. */
export interface CursorWebhookWait {
  /** where Cursor should POST (Baton's public webhook route) */
  url: string;
  /** the HMAC secret given to Cursor (at least 32 characters for the real API) */
  secret: string;
  /** resolves with the webhook's status once the route has verified it (see CursorWebhookHub) */
  wait(agentId: string, signal: AbortSignal): Promise<string>;
}

export interface HttpAgentRunOptions extends Pick<
  AgentRunOptions,
  'limits' | 'onEvent' | 'startSeq' | 'rateLimitFallbackMs'
> {
  /** Jules: asked when a plan is generated; plan approval is only required when this is given */
  onPlan?: (plan: JulesPlan) => Promise<PlanDecision>;
  /** Jules/Cursor: between status polls (default 5000) */
  pollIntervalMs?: number;
  /** Cursor: finish on the webhook (a slow status poll still runs as a fallback) */
  webhook?: CursorWebhookWait;
}

/** `AgentRunResult` plus what the step outputs (PR URL, patch, structured JSON, text). */
export interface HttpAgentRunResult extends AgentRunResult {
  outputs: Record<string, unknown>;
}

/** An agent reached over HTTP: one `run` per step attempt; every call honours the signal. */
export interface HttpAgentRuntime {
  apiVersion: typeof HTTP_RUNTIME_API_VERSION;
  id: HttpRuntimeId;
  run(launch: HttpAgentLaunch, opts?: HttpAgentRunOptions, signal?: AbortSignal): Promise<HttpAgentRunResult>;
}
