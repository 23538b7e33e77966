import { agentPoolsOf, isAgentPoolKey } from '../../domain/agents/providerOf.ts';
import { canonicalRoleName, resolveRole } from '../../domain/agents/resolveRole.ts';
import type { Millis, StepRecord } from '../../domain/records.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import type { LeasedAgentStep, StoreTx } from '../ports/store.ts';

/**
 * How long a step turned away by a full pool stays out of the claim: the claim does not spin on it,
 * and a slot freed meanwhile is taken by the next claim once this has passed.
 */
export const POOL_DEFERRAL_MS = 1_000;

/** The runtime of an agent step that names neither a runtime nor a role (as the agent executor). */
export const DEFAULT_AGENT_RUNTIME = 'claude-code';

/** What a pool gate needs to know of an agent step. */
type AgentRef = Omit<LeasedAgentStep, 'id'>;

/**
 * The limits of the agent pools (`runtime:<id>`, `provider:<name>`): the configuration's
 * (`deps.config.agentPoolLimits`), each overridden by a `concurrency_limits` row of the same key.
 */
export async function loadPoolLimits(deps: EngineDeps, tx: StoreTx): Promise<Map<string, number>> {
  const limits = new Map(Object.entries(deps.config.agentPoolLimits));
  for (const row of await tx.listConcurrencyLimits()) {
    if (isAgentPoolKey(row.key)) limits.set(row.key, row.limit);
  }
  return limits;
}

/**
 * Holds `agent:` steps to the concurrency limits of their pools, inside one claim transaction:
 * `admit` takes the steps `claimSteps` just leased and gives back those whose pool is full.
 * Created per claim; it memoizes the limits, the running counts and the role runtimes it read.
 */
export interface PoolGate {
  /**
   * The steps of `claimed` that fit their pools (in claim order). The others are handed back to
   * the queue in the transaction — `queued`, attempt and lease restored, `available_at` moved
   * `POOL_DEFERRAL_MS` ahead — with one `step.waiting_for_slot` event when a wait begins.
   */
  admit(claimed: StepRecord[]): Promise<{ kept: StepRecord[]; deferred: number }>;
}

export function createPoolGate(deps: EngineDeps, tx: StoreTx, owner: string, now: Millis): PoolGate {
  let limits: Map<string, number> | undefined;
  /** steps per limited pool holding a lease, including the ones admitted by this gate */
  let running: Map<string, number> | undefined;
  const roleRuntimes = new Map<string, Promise<string>>();

  /** the runtime the agent executor will pick: the step's, else its role's, else the default */
  function runtimeOf(a: AgentRef): Promise<string> {
    if (a.runtime) return Promise.resolve(a.runtime);
    if (a.role === null || a.workspaceId === null) return Promise.resolve(DEFAULT_AGENT_RUNTIME);
    const name = canonicalRoleName(a.role);
    const key = `${a.workspaceId}\u0000${name}`;
    let r = roleRuntimes.get(key);
    if (!r) {
      r = tx.getStoredRole(a.workspaceId, name).then((stored) => {
        const role = resolveRole(name, stored);
        // an unknown or broken role fails the step when it runs: count it where it would default
        return role && !('error' in role) ? role.spec.runtime : DEFAULT_AGENT_RUNTIME;
      });
      roleRuntimes.set(key, r);
    }
    return r;
  }

  async function limitedPoolsOf(a: AgentRef): Promise<string[]> {
    return agentPoolsOf(await runtimeOf(a)).filter((p) => limits?.has(p));
  }

  async function countRunning(exclude: ReadonlySet<string>): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const s of await tx.listLeasedAgentSteps(now)) {
      if (exclude.has(s.id)) continue;
      for (const p of await limitedPoolsOf(s)) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    return counts;
  }

  async function giveBack(s: StepRecord, pool: string, limit: number): Promise<boolean> {
    const moved = await tx.updateStep(
      s.id,
      {
        status: 'queued',
        attempt: s.attempt - 1,
        leaseOwner: null,
        leaseExpiresAt: null,
        // the claim set started_at only if it was unset (then it is `now`)
        startedAt: s.startedAt === now ? null : s.startedAt,
        availableAt: now + POOL_DEFERRAL_MS,
        updatedAt: now,
      },
      { fence: { stepId: s.id, owner, attempt: s.attempt }, status: ['running'] },
    );
    if (!moved) return false;
    // one event per wait: not again while the step's latest event says it is already waiting
    if ((await tx.getLastStepEventType(s.runId, s.id)) !== 'step.waiting_for_slot') {
      await tx.insertEvents(
        [ev('step.waiting_for_slot', s.runId, s.id, { step: s.stepKey, pool, limit })],
        now,
      );
    }
    return true;
  }

  return {
    async admit(claimed) {
      if (!claimed.some((s) => s.kind === 'agent')) return { kept: claimed, deferred: 0 };
      if (!limits) {
        limits = await loadPoolLimits(deps, tx);
        // every limited pool, in one order: claims of other processes wait here, never in a cycle
        for (const key of [...limits.keys()].sort()) await tx.lock(`pool:${key}`);
      }
      const max = limits;
      if (max.size === 0) return { kept: claimed, deferred: 0 };
      // counted once the pools are locked; the steps of this claim are admitted one by one below
      const counts = (running ??= await countRunning(new Set(claimed.map((s) => s.id))));
      const kept: StepRecord[] = [];
      let deferred = 0;
      for (const s of claimed) {
        const agent = s.spec?.agent;
        if (s.kind !== 'agent') {
          kept.push(s);
          continue;
        }
        const pools = await limitedPoolsOf({
          workspaceId: agent?.workspaceId ?? null,
          role: agent?.role ?? null,
          runtime: agent?.runtime ?? null,
        });
        const full = pools.find((p) => (counts.get(p) ?? 0) >= (max.get(p) ?? Infinity));
        if (full === undefined) {
          for (const p of pools) counts.set(p, (counts.get(p) ?? 0) + 1);
          kept.push(s);
        } else if (await giveBack(s, full, max.get(full) ?? 0)) {
          deferred++;
          deps.logger.debug({ step: s.id, pool: full }, 'agent pool full: step deferred');
        } else {
          kept.push(s); // not ours to give back after all (cannot happen inside the claim): run it
        }
      }
      return { kept, deferred };
    },
  };
}
