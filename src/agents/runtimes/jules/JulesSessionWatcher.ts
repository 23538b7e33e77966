import type { HttpRunContext } from '../../run/http/HttpRunContext.ts';
import type { HttpOutcome } from '../../run/http/runHttpAgent.ts';
import type { HttpAgentRunOptions } from '../../run/HttpAgentRuntime.ts';
import { julesActivityEvents } from './julesActivityEvents.ts';
import type { JulesClient } from './julesClient.ts';
import type { JulesActivity, JulesSession } from './julesTypes.ts';

const REJECTED_MESSAGE = 'The plan was rejected in Baton. Stop here and do not make any changes.';

/** Follows one Jules session: new activities become events, the plan goes to `onPlan`, the state ends it. */
export class JulesSessionWatcher {
  private readonly seen = new Set<string>();
  private lastState: string | undefined;
  private pendingPlan: JulesActivity | null = null;
  private patch: { unidiffPatch?: string; suggestedCommitMessage?: string } | undefined;
  private failure: string | undefined;
  private lastMessage: string | undefined;

  constructor(
    private readonly client: JulesClient,
    private readonly id: string,
    private readonly ctx: HttpRunContext,
    private readonly onPlan: HttpAgentRunOptions['onPlan'],
  ) {}

  /** One poll: the session's state, then its new activities; an outcome once the session ended. */
  async poll(): Promise<HttpOutcome | null> {
    const { ctx } = this;
    const session = await this.client.getSession(this.id, ctx.signal);
    if (session.state !== this.lastState) {
      this.lastState = session.state;
      ctx.emit([{ kind: 'status', status: 'state', detail: session.state ?? 'unknown' }], session);
    }
    for (const a of await this.client.listActivities(this.id, ctx.signal)) {
      if (this.seen.has(a.name)) continue;
      this.seen.add(a.name);
      this.note(a);
      ctx.emit(julesActivityEvents(a), a);
    }
    if (this.pendingPlan !== null && session.state === 'AWAITING_PLAN_APPROVAL') {
      const rejected = await this.decide(this.pendingPlan);
      if (rejected) return rejected;
    }
    return this.outcome(session);
  }

  private note(a: JulesActivity): void {
    if (a.planGenerated && this.onPlan) this.pendingPlan = a;
    if (a.agentMessaged?.agentMessage) this.lastMessage = a.agentMessaged.agentMessage;
    if (a.sessionFailed) this.failure = a.sessionFailed.reason;
    for (const art of a.artifacts ?? []) if (art.changeSet?.gitPatch) this.patch = art.changeSet.gitPatch;
  }

  /** Asks `onPlan`; approves, or returns the failed outcome of a rejected plan. */
  private async decide(a: JulesActivity): Promise<HttpOutcome | null> {
    this.pendingPlan = null;
    const plan = a.planGenerated?.plan;
    const steps = (plan?.steps ?? []).map((s) => ({
      title: s.title ?? '',
      ...(s.description === undefined ? {} : { description: s.description }),
    }));
    const decision = await this.onPlan?.({ id: plan?.id ?? a.id, steps });
    if (decision === 'approved') {
      await this.client.approvePlan(this.id, this.ctx.signal);
      return null;
    }
    await this.client.sendMessage(this.id, REJECTED_MESSAGE, this.ctx.signal).catch(() => undefined);
    const reason = 'plan rejected: the Jules plan was not approved, so the session was not continued';
    this.ctx.emit([{ kind: 'result', status: 'error', error: reason }], { decision });
    return { status: 'failed', reason, outputs: this.outputs() };
  }

  private outcome(s: JulesSession): HttpOutcome | null {
    if (s.state === 'COMPLETED') {
      const pr = s.outputs?.find((o) => o.pullRequest)?.pullRequest;
      this.ctx.emit(
        [
          {
            kind: 'result',
            status: 'success',
            session_id: s.id,
            ...(this.lastMessage ? { text: this.lastMessage } : {}),
          },
        ],
        s,
      );
      return { status: 'succeeded', reason: 'Jules completed the session', outputs: this.outputs(s, pr) };
    }
    if (s.state === 'FAILED') {
      const reason = `Jules failed the session: ${this.failure ?? 'no reason given'}${s.url ? ` (see ${s.url})` : ''}`;
      if (this.failure === undefined) this.ctx.emit([{ kind: 'result', status: 'error', error: reason }], s);
      return { status: 'failed', reason, outputs: this.outputs(s) };
    }
    if (s.state === 'AWAITING_USER_FEEDBACK') {
      const asked = this.lastMessage === undefined ? '' : `: "${this.lastMessage.slice(0, 300)}"`;
      const reason = `Jules is waiting for user feedback${asked}; answer it${s.url ? ` at ${s.url}` : ' in Jules'} or make the task clearer`;
      this.ctx.emit([{ kind: 'result', status: 'error', error: reason }], s);
      return { status: 'failed', reason, outputs: this.outputs(s) };
    }
    return null;
  }

  private outputs(s?: JulesSession, pr?: { url: string; title?: string }): Record<string, unknown> {
    return {
      sessionId: this.id,
      ...(s?.url ? { sessionUrl: s.url } : {}),
      ...(pr ? { pullRequest: pr, pullRequestUrl: pr.url } : {}),
      ...(this.patch?.unidiffPatch ? { patch: this.patch.unidiffPatch } : {}),
      ...(this.patch?.suggestedCommitMessage ? { commitMessage: this.patch.suggestedCommitMessage } : {}),
    };
  }
}
