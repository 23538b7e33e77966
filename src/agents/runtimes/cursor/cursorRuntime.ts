import type { HttpRunContext } from '../../run/http/HttpRunContext.ts';
import { runHttpAgent, type HttpOutcome } from '../../run/http/runHttpAgent.ts';
import {
  HTTP_RUNTIME_API_VERSION,
  type HttpAgentLaunch,
  type HttpAgentRunOptions,
  type HttpAgentRuntime,
} from '../../run/HttpAgentRuntime.ts';
import { ownerRepo } from '../jules/resolveJulesSource.ts';
import { CursorAgentWatcher } from './CursorAgentWatcher.ts';
import { CURSOR_BASE_URL, CursorClient } from './cursorClient.ts';

const DEFAULT_POLL_MS = 5000;
/** with a webhook, the status is still read this often in case a delivery is lost */
const WEBHOOK_FALLBACK_POLL_MS = 60_000;

const clientFor = (l: HttpAgentLaunch): CursorClient =>
  new CursorClient(l.endpoint.baseUrl ?? CURSOR_BASE_URL, l.endpoint.apiKey, l.endpoint.extraHeaders);

function launchBody(
  l: HttpAgentLaunch,
  source: NonNullable<HttpAgentLaunch['source']>,
  opts: HttpAgentRunOptions,
) {
  const or = ownerRepo(source.repository);
  const text = l.systemPrompt === undefined ? l.prompt : `${l.systemPrompt}\n\n${l.prompt}`;
  return {
    prompt: { text },
    ...(l.model === undefined ? {} : { model: l.model }),
    source: {
      repository: or ? `https://github.com/${or.owner}/${or.repo}` : source.repository,
      ...(source.branch === undefined ? {} : { ref: source.branch }),
    },
    target: {
      autoCreatePr: l.autoCreatePr !== false,
      ...(l.targetBranch ? { branchName: l.targetBranch } : {}),
    },
    ...(opts.webhook ? { webhook: { url: opts.webhook.url, secret: opts.webhook.secret } } : {}),
  };
}

async function runCursor(
  l: HttpAgentLaunch,
  opts: HttpAgentRunOptions,
  ctx: HttpRunContext,
  started: (id: string) => void,
): Promise<HttpOutcome> {
  const client = clientFor(l);
  let id = l.resumeSessionId;
  if (id === undefined) {
    if (l.source === undefined) {
      return {
        status: 'failed',
        reason:
          'a cursor step needs a source repository (launch.source) or an agent to follow up (resumeSessionId)',
      };
    }
    id = (await client.launch(launchBody(l, l.source, opts), ctx.signal)).id;
  }
  started(id);
  const watcher = new CursorAgentWatcher(client, id, ctx);
  ctx.emit([{ kind: 'session', session_id: id, ...(l.model ? { model: l.model } : {}) }], { id });
  if (l.resumeSessionId !== undefined) {
    await watcher.skipExisting();
    await client.followup(id, l.prompt, ctx.signal);
  }
  const hook = opts.webhook?.wait(id, ctx.signal);
  let terminal: string | undefined;
  void hook?.then(
    (s) => (terminal = s),
    () => undefined,
  );
  for (;;) {
    const outcome = await watcher.poll(terminal);
    if (outcome !== null || ctx.stop !== null) return outcome ?? { status: 'failed', reason: 'stopped' };
    const wait = ctx.sleep(hook ? WEBHOOK_FALLBACK_POLL_MS : (opts.pollIntervalMs ?? DEFAULT_POLL_MS));
    await (hook ? Promise.race([wait, hook.catch(() => undefined)]) : wait);
  }
}

/**
 * Cursor cloud agents (API v0): launches an agent on the repository (or follows up on one), polls its
 * status and conversation — or waits for the signed `statusChange` webhook when `opts.webhook` is
 * set — and ends with the PR URL and branch as outputs. A hard stop (limit, cancel) POSTs `stop`.
 */
export const cursorRuntime: HttpAgentRuntime = {
  apiVersion: HTTP_RUNTIME_API_VERSION,
  id: 'cursor',
  run: (launch, opts = {}, signal) => {
    let agentId: string | undefined;
    return runHttpAgent({
      api: 'Cursor',
      keyHint:
        "the cursor endpoint's apiKey (sent as Basic auth; create one in Cursor's dashboard, Integrations)",
      apiKey: launch.endpoint.apiKey,
      opts,
      signal,
      body: (ctx) => runCursor(launch, opts, ctx, (id) => (agentId = id)),
      cleanup: async () => {
        if (agentId !== undefined) await clientFor(launch).stop(agentId, AbortSignal.timeout(5000));
      },
    });
  },
};
