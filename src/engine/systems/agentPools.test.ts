import { describe, expect, it } from 'vitest';
import type { StoredRoleLike } from '../../domain/agents/resolveRole.ts';
import type { AgentExecSpec, NewEvent, StepRecord } from '../../domain/records.ts';
import { DEFAULT_ENGINE_CONFIG, silentLogger, type EngineDeps } from '../engineDeps.ts';
import type { LeasedAgentStep, StoreTx } from '../ports/store.ts';
import { createPoolGate, POOL_DEFERRAL_MS } from './agentPools.ts';
import { claimWork } from './claimSystem.ts';

const NOW = 1_000_000;
const OWNER = 'me';

function step(id: string, agent: Partial<AgentExecSpec> | null, over: Partial<StepRecord> = {}): StepRecord {
  return {
    id,
    runId: 'run',
    stepKey: id,
    kind: agent ? 'agent' : 'run',
    position: 0,
    status: 'running',
    attempt: 1,
    failures: 0,
    reclaims: 0,
    iteration: 0,
    availableAt: NOW - 10,
    priority: 0,
    leaseOwner: OWNER,
    leaseExpiresAt: NOW + 30_000,
    outcome: null,
    outputs: null,
    error: null,
    forced: false,
    spec: {
      command: agent ? '' : 'true',
      cwd: null,
      env: {},
      dryRun: false,
      workflowName: 'wf',
      ...(agent
        ? {
            agent: {
              workspaceId: 'ws',
              role: null,
              runtime: null,
              model: null,
              prompt: 'p',
              budget: {},
              ...agent,
            },
          }
        : {}),
    },
    startedAt: NOW,
    finishedAt: null,
    updatedAt: NOW,
    ...over,
  };
}

/** A StoreTx with just what claims and pool gates use, recording what they do. */
function fakeTx(o: {
  limits?: Array<{ key: string; limit: number }>;
  leased?: LeasedAgentStep[];
  roles?: Record<string, StoredRoleLike>;
  lastEvent?: Record<string, string>;
  batches?: StepRecord[][];
}) {
  const calls = {
    locks: [] as string[],
    updates: [] as Array<{ id: string; patch: Partial<StepRecord> }>,
    events: [] as NewEvent[],
    claims: [] as number[],
    attempts: [] as string[],
    listLimits: 0,
  };
  const batches = [...(o.batches ?? [])];
  const tx = {
    lock: (k: string) => Promise.resolve(void calls.locks.push(k)),
    listConcurrencyLimits: () => {
      calls.listLimits++;
      return Promise.resolve(o.limits ?? []);
    },
    listLeasedAgentSteps: () => Promise.resolve(o.leased ?? []),
    getStoredRole: (_ws: string, name: string) => Promise.resolve(o.roles?.[name]),
    getLastStepEventType: (_run: string, id: string) => Promise.resolve(o.lastEvent?.[id]),
    updateStep: (id: string, patch: Partial<StepRecord>) => {
      calls.updates.push({ id, patch });
      return Promise.resolve(true);
    },
    insertEvents: (events: NewEvent[]) => Promise.resolve(void calls.events.push(...events)),
    getQueueSettings: () =>
      Promise.resolve({
        paused: false,
        pausedReason: null,
        maxConcurrent: null,
        stopOnFailure: false,
        updatedAt: 0,
      }),
    claimSteps: (_o: string, _n: number, _l: number, limit: number) => {
      calls.claims.push(limit);
      return Promise.resolve((batches.shift() ?? []).slice(0, limit));
    },
    insertAttempts: (a: Array<{ stepId: string }>) =>
      Promise.resolve(void calls.attempts.push(...a.map((x) => x.stepId))),
  };
  return { tx: tx as unknown as StoreTx, calls };
}

function deps(agentPoolLimits: Record<string, number>): EngineDeps {
  return {
    store: undefined as never,
    clock: { now: () => NOW },
    config: { ...DEFAULT_ENGINE_CONFIG, agentPoolLimits },
    hints: { workAvailable: () => {}, queueChanged: () => {}, runCancelled: () => {} },
    logger: silentLogger,
    random: () => 0.5,
    newId: () => 'id',
  };
}

describe('pool gate', () => {
  it('reads nothing when no agent step was claimed', async () => {
    const { tx, calls } = fakeTx({ limits: [{ key: 'runtime:codex', limit: 1 }] });
    const r = await createPoolGate(deps({}), tx, OWNER, NOW).admit([step('a', null), step('b', null)]);
    expect(r).toEqual({
      kept: [expect.objectContaining({ id: 'a' }), expect.objectContaining({ id: 'b' })],
      deferred: 0,
    });
    expect(calls.listLimits).toBe(0);
    expect(calls.locks).toEqual([]);
  });

  it('admits up to the limit counting leased steps, the table overriding the configuration', async () => {
    const { tx, calls } = fakeTx({
      limits: [
        { key: 'runtime:claude-code', limit: 2 },
        { key: 'deploy:prod', limit: 1 }, // a workflow key: not a pool
      ],
      // one running claude step (its role's runtime), one codex step, and the claimed step itself
      leased: [
        { id: 'old', workspaceId: 'ws', role: 'planner', runtime: null },
        { id: 'cdx', workspaceId: 'ws', role: null, runtime: 'codex' },
        { id: 'a', workspaceId: 'ws', role: null, runtime: 'claude-code' },
      ],
    });
    const gate = createPoolGate(deps({ 'runtime:claude-code': 5, 'provider:openai': 9 }), tx, OWNER, NOW);
    const claimed = [
      step('a', { runtime: 'claude-code' }),
      step('b', { runtime: null }, { attempt: 3, startedAt: NOW - 5_000 }),
      step('c', null),
      step('d', { runtime: 'codex' }),
    ];
    const r = await gate.admit(claimed);
    expect(r.kept.map((s) => s.id)).toEqual(['a', 'c', 'd']);
    expect(r.deferred).toBe(1);
    expect(calls.locks).toEqual(['pool:provider:openai', 'pool:runtime:claude-code']);
    expect(calls.updates).toEqual([
      {
        id: 'b',
        patch: {
          status: 'queued',
          attempt: 2,
          leaseOwner: null,
          leaseExpiresAt: null,
          startedAt: NOW - 5_000,
          availableAt: NOW + POOL_DEFERRAL_MS,
          updatedAt: NOW,
        },
      },
    ]);
    expect(calls.events).toEqual([
      {
        type: 'step.waiting_for_slot',
        runId: 'run',
        stepId: 'b',
        payload: { step: 'b', pool: 'runtime:claude-code', limit: 2 },
      },
    ]);
  });

  it('resolves runtimes through the workspace catalog, then the built-ins', async () => {
    const { tx, calls } = fakeTx({
      roles: {
        developer: {
          name: 'developer',
          spec: { title: 'D', prompt: 'p', runtime: 'jules' },
          onboarding: null,
          updatedAt: 1,
          updatedBy: null,
        },
      },
    });
    const gate = createPoolGate(deps({ 'provider:google': 1, 'provider:openai': 1 }), tx, OWNER, NOW);
    const r = await gate.admit([
      step('a', { role: 'coding' }), // alias of developer: the workspace's override on jules (google)
      step('b', { role: 'developer' }),
      step('c', { role: 'spec-writer' }), // built-in on openai-compatible
      step('d', { role: 'spec-writer' }),
    ]);
    expect(r.kept.map((s) => s.id)).toEqual(['a', 'c']);
    expect(calls.updates.map((u) => u.id)).toEqual(['b', 'd']);
  });

  it('announces a wait once: not again when the step is already waiting', async () => {
    const { tx, calls } = fakeTx({
      leased: [{ id: 'x', workspaceId: 'ws', role: null, runtime: 'codex' }],
      lastEvent: { a: 'step.waiting_for_slot', b: 'step.retrying' },
    });
    const gate = createPoolGate(deps({ 'runtime:codex': 1 }), tx, OWNER, NOW);
    const r = await gate.admit([
      step('a', { runtime: 'codex' }, { startedAt: NOW }),
      step('b', { runtime: 'codex' }),
    ]);
    expect(r).toEqual({ kept: [], deferred: 2 });
    expect(calls.updates[0]?.patch.startedAt).toBeNull(); // set by this claim: unset again
    expect(calls.events.map((e) => e.stepId)).toEqual(['b']);
  });
});

describe('claimWork with pools', () => {
  it('claims other work in place of the steps given back, in the same pass', async () => {
    const { tx, calls } = fakeTx({
      batches: [
        [step('a', { runtime: 'codex' }), step('b', { runtime: 'codex' }), step('c', { runtime: 'codex' })],
        [step('d', { runtime: 'codex' }), step('e', null)],
        [step('f', null)],
      ],
    });
    const claimed = await claimWork(deps({ 'runtime:codex': 1 }), tx, OWNER, 3);
    expect(claimed.map((s) => s.id)).toEqual(['a', 'e', 'f']);
    expect(calls.claims).toEqual([3, 2, 1]);
    expect(calls.attempts).toEqual(['a', 'e', 'f']);
    expect(calls.events.filter((e) => e.type === 'step.started').map((e) => e.stepId)).toEqual([
      'a',
      'e',
      'f',
    ]);
    expect(calls.locks).toEqual(['pool:runtime:codex']); // taken once per claim
  });

  it('stops when the queue runs dry', async () => {
    const { tx, calls } = fakeTx({
      batches: [[step('a', { runtime: 'codex' }), step('b', { runtime: 'codex' })]],
    });
    const claimed = await claimWork(deps({ 'runtime:codex': 1 }), tx, OWNER, 4);
    expect(claimed.map((s) => s.id)).toEqual(['a']);
    expect(calls.claims).toEqual([4]);
  });
});
