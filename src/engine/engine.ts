import { DEFAULT_WORKSPACE } from '../domain/access/defaultWorkspace.ts';
import { didYouMean } from '../domain/didYouMean.ts';
import { BatonError, toErrorRecord } from '../domain/errors.ts';
import { uuidv7 } from '../domain/ids.ts';
import type {
  AgentEventRecord,
  EventRecord,
  LogChunkRecord,
  QueueSettings,
  RunRecord,
  StepAttemptRecord,
  StepRecord,
  WaitRecord,
  WorkflowRecord,
} from '../domain/records.ts';
import { isTerminalRun } from '../domain/runStatus.ts';
import type { WorkflowDefinition } from '../domain/workflow/types.ts';
import {
  DEFAULT_ENGINE_CONFIG,
  silentLogger,
  type EngineConfig,
  type EngineDeps,
  type Logger,
} from './engineDeps.ts';
import { ev } from './events.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import type { LogSink, StepExecutor } from './ports/stepExecutor.ts';
import type { RunFilter, Store } from './ports/store.ts';
import { reclaimExpired } from './systems/claimSystem.ts';
import * as control from './systems/controlSystem.ts';
import { admitQueued, createRunInTx, type CreateRunResult } from './systems/runSystem.ts';
import { fireDueSchedules, syncSchedules } from './systems/scheduleSystem.ts';
import { createTriggerDispatcher, type TriggerDispatcher } from './systems/triggerSystem.ts';
import { decideApproval, fireDueWaits } from './systems/waitSystem.ts';
import { requestAgentApproval, type AgentApprovalRequest } from './systems/agentApprovalSystem.ts';
import { findStep } from './systems/findStep.ts';
import type { IssuePatch, IssueRecord } from '../domain/issues/issueRecord.ts';
import * as issues from './systems/issueTreeSystem.ts';
import { completeIssue, updateIssue, type IssueEdit } from './systems/issueStatusSystem.ts';
import {
  issueHierarchy,
  issueView,
  runIssues,
  type IssueView,
  type RunIssues,
} from './systems/issueTreeViews.ts';
import type { IssueChange } from './systems/lockedIssueTree.ts';
import { Worker } from './worker.ts';

export interface EngineOptions {
  store: Store;
  clock?: Clock;
  config?: Partial<EngineConfig>;
  logger?: Logger;
  random?: () => number;
  fault?: EngineDeps['fault'];
  /** omit to run an engine that schedules but executes no `run:` steps (e.g. the CLI's client) */
  runner?: {
    owner: string;
    concurrency: number;
    /** parallel claim loops (default: 4 on PostgreSQL, 1 on SQLite) */
    lanes?: number;
    executor: StepExecutor;
    makeSink: (step: StepRecord) => LogSink;
    baseEnv: Record<string, string>;
    defaultCwd: string;
    /** ends processes orphaned by a dead incarnation before expired leases are reclaimed */
    beforeReclaim?: () => Promise<void>;
  };
}

export interface RunDetails {
  run: RunRecord;
  steps: StepRecord[];
  waits: WaitRecord[];
  attempts: StepAttemptRecord[];
}

const FULL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TriggerRequest {
  workflow: string;
  inputs?: Record<string, unknown>;
  idempotencyKey?: string;
  priority?: number;
  dryRun?: boolean;
  createdBy?: string;
  trigger?: RunRecord['trigger'];
  /** the registered repository the run works on */
  repositoryId?: string | null;
  signal?: AbortSignal;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(t);
      reject(signal?.reason as Error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The engine facade: every command is one transaction over the store; `start()` adds the runner
 * loop (claims, heartbeats) and the sweeper (expired leases, due waits, cron slots).
 */
export class Engine {
  readonly deps: EngineDeps;
  private workers: Worker[] = [];
  private sweepTimer: ReturnType<typeof setTimeout> | null = null;
  private sweeping: Promise<void> | null = null;
  private started = false;
  private readonly triggers: TriggerDispatcher;
  private triggering: Promise<void> | null = null;
  private triggerAgain = false;

  constructor(private readonly opts: EngineOptions) {
    this.deps = {
      store: opts.store,
      clock: opts.clock ?? systemClock,
      config: Object.freeze({ ...DEFAULT_ENGINE_CONFIG, ...opts.config }),
      logger: opts.logger ?? silentLogger,
      random: opts.random ?? Math.random,
      newId: () => uuidv7(),
      ...(opts.fault ? { fault: opts.fault } : {}),
      hints: {
        workAvailable: () => this.workers.forEach((w) => w.wake()),
        runCancelled: () => this.workers.forEach((w) => w.pokeHeartbeat()),
        queueChanged: () => this.workers.forEach((w) => w.settingsChanged()),
      },
    };
    this.triggers = createTriggerDispatcher(this.deps);
  }

  private get store(): Store {
    return this.deps.store;
  }

  // ---- workflows -------------------------------------------------------------------------------

  /** Stores a validated definition; bumps the version when it changed; syncs its cron schedules. */
  async registerWorkflow(
    definition: WorkflowDefinition,
    meta: {
      source: string;
      origin: 'file' | 'api';
      sourcePath?: string | null;
      baseDir?: string | null;
      /** default: the workflow's current workspace, else the default workspace */
      workspaceId?: string;
    },
  ): Promise<WorkflowRecord> {
    return this.store.transaction(async (tx) => {
      const now = this.deps.clock.now();
      const prev = await tx.getWorkflow(definition.name);
      const workspaceId = meta.workspaceId ?? prev?.workspaceId ?? DEFAULT_WORKSPACE;
      if (prev && prev.workspaceId !== workspaceId) {
        throw new BatonError(
          'conflict',
          `workflow "${definition.name}" already exists in another workspace`,
          {
            field: 'name',
            hint: 'workflow names are unique across a Baton instance: choose another name',
          },
        );
      }
      const same =
        prev &&
        JSON.stringify(prev.definition) === JSON.stringify(definition) &&
        prev.baseDir === (meta.baseDir ?? null);
      const record: WorkflowRecord = {
        name: definition.name,
        workspaceId,
        version: same ? prev.version : (prev?.version ?? 0) + 1,
        definition,
        source: meta.source,
        origin: meta.origin,
        sourcePath: meta.sourcePath ?? null,
        baseDir: meta.baseDir ?? null,
        createdAt: prev?.createdAt ?? now,
        updatedAt: same ? prev.updatedAt : now,
      };
      if (!same) {
        await tx.upsertWorkflow(record);
        await tx.insertEvents(
          [
            ev('workflow.registered', null, null, {
              name: record.name,
              version: record.version,
              origin: record.origin,
            }),
          ],
          now,
        );
      }
      await syncSchedules(this.deps, tx, record);
      return record;
    });
  }

  async getWorkflow(name: string): Promise<WorkflowRecord> {
    const w = await this.store.getWorkflow(name);
    if (!w) {
      const names = (await this.store.listWorkflows()).map((x) => x.name);
      const guess = didYouMean(name, names);
      throw new BatonError(
        'not_found',
        `workflow "${name}" is not registered${guess ? `; did you mean "${guess}"?` : ''}`,
        {
          field: 'workflow',
          hint: names.length
            ? `known workflows: ${names.join(', ')}`
            : 'load workflows with `baton serve --examples` or a .baton/workflows directory',
        },
      );
    }
    return w;
  }

  listWorkflows(): Promise<WorkflowRecord[]> {
    return this.store.listWorkflows();
  }

  // ---- runs ------------------------------------------------------------------------------------

  async createRun(req: TriggerRequest): Promise<CreateRunResult> {
    const workflow = await this.getWorkflow(req.workflow);
    // direct dispatch: a runner of this process with a free slot claims in the same transaction
    const worker = this.workers.find((w) => w.freeSlots > 0);
    let release = () => {};
    try {
      return await this.store.transaction(async (tx) => {
        const result = await createRunInTx(this.deps, tx, {
          workflow,
          inputs: req.inputs,
          idempotencyKey: req.idempotencyKey,
          priority: req.priority,
          dryRun: req.dryRun,
          createdBy: req.createdBy,
          trigger: req.trigger ?? 'manual',
          repositoryId: req.repositoryId ?? null,
        });
        if (worker && result.created) release = await worker.claimInto(tx);
        return result;
      }, req.signal);
    } finally {
      release();
    }
  }

  /** A full run id from an id or a unique prefix of one. */
  async resolveRunId(idOrPrefix: string): Promise<string> {
    // a whole id needs no lookup: reading the run afterwards answers "not found" if it is not there
    if (FULL_ID.test(idOrPrefix)) return idOrPrefix.toLowerCase();
    const ids = await this.store.findRunsByIdPrefix(idOrPrefix, 2);
    if (ids.length === 1) return ids[0]!;
    if (ids.length === 0)
      throw new BatonError('not_found', `no run matches "${idOrPrefix}"`, {
        field: 'run',
        hint: 'list runs with `baton runs ls`',
      });
    throw new BatonError('invalid_input', `"${idOrPrefix}" matches several runs; give more characters`, {
      field: 'run',
    });
  }

  async getRun(runId: string): Promise<RunDetails> {
    const run = await this.store.getRun(runId);
    if (!run) throw new BatonError('not_found', `run ${runId} does not exist`, { field: 'run' });
    const [steps, waits, attempts] = await Promise.all([
      this.store.listSteps(runId),
      this.store.listWaits(runId),
      this.store.listAttempts(runId),
    ]);
    return { run, steps, waits, attempts };
  }

  listRuns(filter: RunFilter): Promise<RunRecord[]> {
    return this.store.listRuns(filter);
  }

  listEvents(afterId: number, limit: number, runId?: string): Promise<EventRecord[]> {
    return this.store.listEvents(afterId, limit, runId);
  }

  async readLogs(
    runId: string,
    stepKey: string,
    attempt: number | null,
    afterSeq = -1,
    limit = 1000,
  ): Promise<LogChunkRecord[]> {
    const step = await findStep(this.store, runId, stepKey);
    return this.store.readLogs(step.id, attempt, afterSeq, limit);
  }

  /** An agent step's stored transcript (the latest attempt unless one is given), after `afterSeq`. */
  async readTranscript(
    runId: string,
    stepKey: string,
    attempt: number | null,
    afterSeq = -1,
    limit = 500,
  ): Promise<{ attempt: number; events: AgentEventRecord[] }> {
    const step = await findStep(this.store, runId, stepKey);
    const a = attempt ?? step.attempt;
    return { attempt: a, events: await this.store.readAgentEvents(step.id, a, afterSeq, limit) };
  }

  pendingApprovals(limit = 100): Promise<WaitRecord[]> {
    return this.store.listPendingWaits('approval', limit);
  }

  /** Resolves when the run is terminal (polling the store: works across processes). */
  async waitForRun(
    runId: string,
    opts: { signal?: AbortSignal; pollMs?: number; onTick?: (d: RunDetails) => void } = {},
  ): Promise<RunRecord> {
    for (;;) {
      opts.signal?.throwIfAborted();
      const d = await this.getRun(runId);
      opts.onTick?.(d);
      if (isTerminalRun(d.run.status)) return d.run;
      await abortableSleep(opts.pollMs ?? 100, opts.signal);
    }
  }

  // ---- control ---------------------------------------------------------------------------------

  cancel(runId: string, a: control.Actor): Promise<RunRecord> {
    return this.store.transaction((tx) => control.cancelRun(this.deps, tx, runId, a), a.signal);
  }
  pause(runId: string, a: control.Actor): Promise<RunRecord> {
    return this.store.transaction((tx) => control.pauseRun(this.deps, tx, runId, a), a.signal);
  }
  resume(runId: string, a: control.Actor): Promise<RunRecord> {
    return this.store.transaction((tx) => control.resumeRun(this.deps, tx, runId, a), a.signal);
  }
  retry(runId: string, stepKey: string, a: control.Actor): Promise<RunRecord> {
    return this.store.transaction((tx) => control.retryStep(this.deps, tx, runId, stepKey, a), a.signal);
  }
  advance(runId: string, stepKey: string | undefined, a: control.Actor): Promise<RunRecord> {
    return this.store.transaction((tx) => control.forceAdvance(this.deps, tx, runId, stepKey, a), a.signal);
  }
  async approve(
    runId: string,
    stepKey: string,
    d: { by: string; comment?: string; signal?: AbortSignal },
  ): Promise<RunRecord> {
    await this.store.transaction((tx) => decideApproval(this.deps, tx, runId, stepKey, true, d), d.signal);
    return (await this.getRun(runId)).run;
  }
  async reject(
    runId: string,
    stepKey: string,
    d: { by: string; comment?: string; signal?: AbortSignal },
  ): Promise<RunRecord> {
    await this.store.transaction((tx) => decideApproval(this.deps, tx, runId, stepKey, false, d), d.signal);
    return (await this.getRun(runId)).run;
  }
  /** a running agent step asks for a human decision (see agentApprovalSystem); returns its wait */
  requestAgentApproval(r: AgentApprovalRequest, signal?: AbortSignal): Promise<WaitRecord> {
    return this.store.transaction((tx) => requestAgentApproval(this.deps, tx, r), signal);
  }
  updateQueue(p: control.QueuePatch, a: control.Actor): Promise<void> {
    return this.store.transaction((tx) => control.updateQueue(this.deps, tx, p, a), a.signal);
  }
  setKeyLimit(key: string, limit: number | null, a: control.Actor): Promise<void> {
    return this.store.transaction((tx) => control.setKeyLimit(this.deps, tx, key, limit, a), a.signal);
  }
  queueSettings(): Promise<QueueSettings> {
    return this.store.getQueueSettings();
  }

  // ---- issue tree (issueTreeSystem.ts) ---------------------------------------------------------

  createIssue(req: issues.NewIssue, signal?: AbortSignal): Promise<IssueChange> {
    return this.store.transaction((tx) => issues.createIssue(this.deps, tx, req), signal);
  }
  /** files a defect under an issue: reopens it and its done ancestors */
  fileDefect(
    parentId: string,
    d: Parameters<typeof issues.fileDefect>[3],
    signal?: AbortSignal,
  ): Promise<IssueChange> {
    return this.store.transaction((tx) => issues.fileDefect(this.deps, tx, parentId, d), signal);
  }
  /** a GitHub issue filed under a mirrored one, as a defect under its Baton issue (once) */
  fileGithubDefect(d: issues.GithubDefect, signal?: AbortSignal) {
    return this.store.transaction((tx) => issues.fileGithubDefect(this.deps, tx, d), signal);
  }
  /** the issue mirrored as (or filed from) GitHub issue `repository#number` in these workspaces */
  findIssueByGithubIssue(workspaceIds: readonly string[], repository: string, number: number) {
    return this.store.findIssueByGithubIssue(workspaceIds, repository, number);
  }
  updateIssue(id: string, edit: IssueEdit, by: string, signal?: AbortSignal): Promise<IssueChange> {
    return this.store.transaction((tx) => updateIssue(this.deps, tx, id, edit, by), signal);
  }
  /** refused while anything under the issue is not done */
  completeIssue(id: string, by: string, signal?: AbortSignal): Promise<IssueRecord> {
    return this.store.transaction((tx) => completeIssue(this.deps, tx, id, by), signal);
  }
  reorderIssueChildren(id: string, ids: readonly string[], by: string, signal?: AbortSignal) {
    return this.store.transaction((tx) => issues.reorderChildren(this.deps, tx, id, ids, by), signal);
  }
  /** the forge's references of an issue (its pull request, its GitHub issue) */
  setIssueForgeRefs(
    id: string,
    refs: Pick<IssuePatch, 'prNumber' | 'prUrl' | 'githubIssueNumber' | 'githubRepository'>,
  ): Promise<IssueRecord> {
    return this.store.transaction((tx) => issues.setIssueForgeRefs(this.deps, tx, id, refs));
  }
  getIssue(id: string): Promise<IssueView> {
    return issueView(this.store, id);
  }
  listRunIssues(runId: string): Promise<RunIssues> {
    return runIssues(this.store, runId);
  }
  issueHierarchy(id: string): ReturnType<typeof issueHierarchy> {
    return issueHierarchy(this.store, id);
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Starts the sweeper and, when configured, the runner loop. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const r = this.opts.runner;
    if (r) {
      await r.beforeReclaim?.();
      this.runnerStartedAt = this.deps.clock.now();
      await this.beatRunner(null);
      // PostgreSQL: several lanes (each its own claim/complete transaction) overlap round trips;
      // SQLite has one writer, so one lane that group-commits is fastest
      const lanes = Math.max(
        1,
        Math.min(r.concurrency, r.lanes ?? (this.store.dialect === 'postgres' ? 4 : 1)),
      );
      for (let i = 0; i < lanes; i++) {
        const concurrency = Math.floor(r.concurrency / lanes) + (i < r.concurrency % lanes ? 1 : 0);
        const w = new Worker(this.deps, { ...r, concurrency });
        this.workers.push(w);
        w.start();
      }
    }
    this.scheduleSweep(0);
  }

  private runnerStartedAt = 0;

  /** The runners table says which runners are alive (the CLI runs steps itself when none is). */
  private async beatRunner(stoppedAt: number | null): Promise<void> {
    const r = this.opts.runner;
    if (!r) return;
    const [host, pid] = r.owner.split(':');
    await this.store.upsertRunner({
      id: r.owner,
      hostname: host ?? '',
      pid: Number(pid) || 0,
      startedAt: this.runnerStartedAt,
      heartbeatAt: this.deps.clock.now(),
      stoppedAt,
    });
  }

  private scheduleSweep(delay: number): void {
    if (!this.started) return;
    this.sweepTimer = setTimeout(() => {
      this.sweeping = this.sweep().finally(() => this.scheduleSweep(this.deps.config.sweepMs));
    }, delay);
  }

  /** One sweep: orphans, expired leases, due waits, cron slots, stalled admissions. Each its own transaction. */
  async sweep(): Promise<void> {
    const d = this.deps;
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['runner', () => this.beatRunner(null)],
      ['orphans', async () => this.opts.runner?.beforeReclaim?.()],
      ['reclaim', () => d.store.transaction((tx) => reclaimExpired(d, tx))],
      ['waits', () => d.store.transaction((tx) => fireDueWaits(d, tx))],
      ['schedules', () => d.store.transaction((tx) => fireDueSchedules(d, tx))],
      ['triggers', () => this.dispatchEvents()],
      ['admission', () => d.store.transaction((tx) => admitQueued(d, tx, null))],
    ];
    for (const [name, fn] of steps) {
      try {
        await fn();
      } catch (e) {
        d.logger.error({ err: toErrorRecord(e), sweep: name }, 'sweep failed');
      }
    }
  }

  /**
   * Event triggers: dispatches the pending events now (external events, run ends). Runs at every
   * sweep; call it after storing an event so its runs start without waiting for the next sweep. A
   * call while a dispatch runs makes that dispatch go round once more.
   */
  dispatchEvents(): Promise<void> {
    this.triggerAgain = true;
    this.triggering ??= (async () => {
      try {
        while (this.triggerAgain) {
          this.triggerAgain = false;
          await this.triggers.dispatch();
        }
      } finally {
        this.triggering = null;
      }
    })();
    return this.triggering;
  }

  /** A hint that an event was stored: dispatch soon (a no-op until `start()`; errors are logged). */
  pokeTriggers(): void {
    if (!this.started) return;
    this.dispatchEvents().catch((e: unknown) =>
      this.deps.logger.error({ err: toErrorRecord(e), sweep: 'triggers' }, 'event dispatch failed'),
    );
  }

  /** Graceful stop: no new claims; running steps get `drainMs` to finish, then go back to the queue. */
  async stop(drainMs = 10_000): Promise<void> {
    this.started = false;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    await this.sweeping;
    await this.triggering?.catch(() => undefined);
    const workers = this.workers;
    await Promise.all(workers.map((w) => w.stop(drainMs)));
    if (workers.length) await this.beatRunner(this.deps.clock.now()).catch(() => undefined);
    this.workers = [];
  }
}
