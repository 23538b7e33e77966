import type { HttpRunContext } from '../../run/http/HttpRunContext.ts';
import type { HttpOutcome } from '../../run/http/runHttpAgent.ts';
import type { CursorClient } from './cursorClient.ts';
import { CURSOR_TERMINAL, type CursorAgent } from './cursorTypes.ts';

/** Follows one Cursor agent: status changes and new conversation messages become events; a terminal status ends it. */
export class CursorAgentWatcher {
  private readonly seen = new Set<string>();
  private lastStatus: string | undefined;

  constructor(
    private readonly client: CursorClient,
    readonly id: string,
    private readonly ctx: HttpRunContext,
  ) {}

  /** Marks the messages already in the conversation as seen (before a follow-up). */
  async skipExisting(): Promise<void> {
    const conv = await this.client.conversation(this.id, this.ctx.signal);
    for (const m of conv.messages) this.seen.add(m.id);
  }

  /** One poll; `terminal` (from a webhook) is trusted when the status read back lags behind it. */
  async poll(terminal?: string): Promise<HttpOutcome | null> {
    const { ctx } = this;
    const agent = await this.client.get(this.id, ctx.signal);
    if (agent.status !== this.lastStatus) {
      this.lastStatus = agent.status;
      ctx.emit([{ kind: 'status', status: 'state', detail: agent.status }], agent);
    }
    const conv = await this.client.conversation(this.id, ctx.signal);
    for (const m of conv.messages) {
      if (this.seen.has(m.id)) continue;
      this.seen.add(m.id);
      const role = m.type === 'user_message' ? 'user' : 'assistant';
      ctx.emit([{ kind: 'message', role, text: m.text, delta: false }], m);
    }
    const status = CURSOR_TERMINAL.includes(agent.status) ? agent.status : terminal;
    if (status === 'FINISHED') {
      ctx.emit(
        [
          {
            kind: 'result',
            status: 'success',
            session_id: agent.id,
            ...(agent.summary ? { text: agent.summary } : {}),
          },
        ],
        agent,
      );
      return { status: 'succeeded', reason: 'the Cursor agent finished', outputs: this.outputs(agent) };
    }
    if (status === 'ERROR' || status === 'EXPIRED') {
      const reason = `the Cursor agent ended with status ${status}${agent.summary ? `: ${agent.summary}` : ''}${agent.target?.url ? ` (see ${agent.target.url})` : ''}`;
      ctx.emit([{ kind: 'result', status: 'error', error: reason }], agent);
      return { status: 'failed', reason, outputs: this.outputs(agent) };
    }
    return null;
  }

  private outputs(a: CursorAgent): Record<string, unknown> {
    const t = a.target ?? {};
    return {
      agentId: a.id,
      ...(t.prUrl ? { pullRequestUrl: t.prUrl } : {}),
      ...(t.branchName ? { branchName: t.branchName } : {}),
      ...(t.url ? { agentUrl: t.url } : {}),
      ...(a.summary ? { summary: a.summary } : {}),
    };
  }
}
