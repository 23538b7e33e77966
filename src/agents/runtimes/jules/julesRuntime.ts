import type { HttpRunContext } from '../../run/http/HttpRunContext.ts';
import { runHttpAgent, type HttpOutcome } from '../../run/http/runHttpAgent.ts';
import {
  HTTP_RUNTIME_API_VERSION,
  type HttpAgentLaunch,
  type HttpAgentRunOptions,
  type HttpAgentRuntime,
} from '../../run/HttpAgentRuntime.ts';
import { JULES_BASE_URL, JulesClient } from './julesClient.ts';
import { JulesSessionWatcher } from './JulesSessionWatcher.ts';
import { resolveJulesSource } from './resolveJulesSource.ts';

const DEFAULT_POLL_MS = 5000;

async function runJules(
  launch: HttpAgentLaunch,
  opts: HttpAgentRunOptions,
  ctx: HttpRunContext,
): Promise<HttpOutcome> {
  const baseUrl = (launch.endpoint.baseUrl ?? JULES_BASE_URL).replace(/\/$/, '');
  const client = new JulesClient(baseUrl, launch.endpoint.apiKey, launch.endpoint.extraHeaders);
  const sessionId = launch.resumeSessionId ?? (await createSession(launch, opts, ctx, client, baseUrl));
  if (typeof sessionId !== 'string') return sessionId;
  if (launch.resumeSessionId !== undefined)
    ctx.emit([{ kind: 'session', session_id: sessionId }], { resumed: sessionId });
  const watcher = new JulesSessionWatcher(client, sessionId, ctx, opts.onPlan);
  for (;;) {
    const outcome = await watcher.poll();
    if (outcome !== null || ctx.stop !== null) return outcome ?? { status: 'failed', reason: 'stopped' };
    await ctx.sleep(opts.pollIntervalMs ?? DEFAULT_POLL_MS);
  }
}

/** A new session on the launch's source (its id), or the failed outcome when there is no source. */
async function createSession(
  launch: HttpAgentLaunch,
  opts: HttpAgentRunOptions,
  ctx: HttpRunContext,
  client: JulesClient,
  baseUrl: string,
): Promise<string | HttpOutcome> {
  if (launch.source === undefined) {
    return {
      status: 'failed',
      reason: 'a jules step needs a source repository (launch.source): Jules works on GitHub repositories',
    };
  }
  const headers = { 'X-Goog-Api-Key': launch.endpoint.apiKey, ...launch.endpoint.extraHeaders };
  const source = await resolveJulesSource(launch.source.repository, baseUrl, headers, ctx.signal);
  const session = await client.createSession(
    {
      prompt:
        launch.systemPrompt === undefined ? launch.prompt : `${launch.systemPrompt}\n\n${launch.prompt}`,
      ...(launch.title === undefined ? {} : { title: launch.title }),
      sourceContext: { source, githubRepoContext: { startingBranch: launch.source.branch ?? 'main' } },
      requirePlanApproval: opts.onPlan !== undefined,
      ...(launch.autoCreatePr === false ? {} : { automationMode: 'AUTO_CREATE_PR' }),
    },
    ctx.signal,
  );
  ctx.emit(
    [{ kind: 'session', session_id: session.id, ...(launch.model ? { model: launch.model } : {}) }],
    session,
  );
  return session.id;
}

/**
 * Google Jules (REST v1alpha, polled): creates a session on the repository, maps its activities to
 * transcript events, asks `onPlan` to approve the plan when given, and ends with the pull request
 * and the patch as outputs. Jules runs remotely: a hard stop only stops Baton from waiting.
 */
export const julesRuntime: HttpAgentRuntime = {
  apiVersion: HTTP_RUNTIME_API_VERSION,
  id: 'jules',
  run: (launch, opts = {}, signal) =>
    runHttpAgent({
      api: 'Jules',
      keyHint:
        "the jules endpoint's apiKey (sent as X-Goog-Api-Key; create one at jules.google.com/settings)",
      apiKey: launch.endpoint.apiKey,
      opts,
      signal,
      body: (ctx) => runJules(launch, opts, ctx),
    }),
};
