import { setTimeout as sleep } from 'node:timers/promises';
import type { JulesPlan, PlanDecision } from '../agents/run/HttpAgentRuntime.ts';
import type { Engine } from '../engine/engine.ts';
import type { Store } from '../engine/ports/store.ts';
import type { PlanApprovals } from '../runners/agent/agentStepPorts.ts';

/**
 * Jules plans as Baton approvals: the running step asks the engine for an approval (in the inbox,
 * decided with `baton approve` or the API like any other) and waits for the decision. Asked again
 * after a crash, the same plan finds its approval, decided or not.
 */
export function enginePlanApprovals(
  engine: Pick<Engine, 'requestAgentApproval'>,
  store: Pick<Store, 'listWaits'>,
  pollMs = 500,
): PlanApprovals {
  return {
    async decide(job, plan: JulesPlan, signal): Promise<PlanDecision> {
      if (job.owner === undefined) throw new Error('a plan approval needs the lease owner of the step');
      const steps = plan.steps.map(
        (s, i) => `${i + 1}. ${s.title}${s.description ? ` — ${s.description}` : ''}`,
      );
      const wait = await engine.requestAgentApproval(
        {
          fence: { stepId: job.stepId, owner: job.owner, attempt: job.attempt },
          key: `plan:${plan.id}`,
          message: `Approve the plan for step ${job.stepKey}?\n${steps.join('\n')}`,
          details: { plan: plan.steps, planId: plan.id },
        },
        signal,
      );
      for (;;) {
        const w = (await store.listWaits(job.runId)).find((x) => x.id === wait.id);
        if (w?.status === 'approved') return 'approved';
        if (w && w.status !== 'pending') return 'rejected';
        await sleep(pollMs, undefined, { signal });
      }
    },
  };
}
