import { toErrorRecord } from '../domain/errors.ts';
import type { StepRecord } from '../domain/records.ts';
import type { EngineDeps } from './engineDeps.ts';
import type { StoreTx } from './ports/store.ts';
import type { LogSink, StepExecResult, StepExecutor, StepJob } from './ports/stepExecutor.ts';
import { claimWork, completeAttempt, type AttemptResult } from './systems/claimSystem.ts';
import { releaseAttempt } from './systems/releaseAttempt.ts';

export interface WorkerOptions {
  owner: string;
  concurrency: number;
  executor: StepExecutor;
  makeSink: (step: StepRecord) => LogSink;
  /** PATH, HOME, LANG… given to every step (the server's secrets are not) */
  baseEnv: Record<string, string>;
  defaultCwd: string;
}

interface Active {
  step: StepRecord;
  ac: AbortController;
}

type Finished =
  { kind: 'result'; r: AttemptResult; tries: number } | { kind: 'release'; r: AttemptResult; tries: number };

/**
 * The runner loop. Group commit: every pass is ONE transaction that records all finished attempts
 * and claims work for every free slot, so a busy worker pays one commit per batch, not per step.
 */
export class Worker {
  private readonly active = new Map<string, Active>();
  private finished: Finished[] = [];
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private stopping = false;
  private loopDone: Promise<void> | null = null;
  private hbTimer: ReturnType<typeof setInterval> | null = null;
  private hbRunning = false;

  constructor(
    private readonly deps: EngineDeps,
    private readonly opts: WorkerOptions,
  ) {}

  get activeCount(): number {
    return this.active.size;
  }

  /** slots promised to a transaction that claims directly (see `claimInto`) */
  private reserved = 0;

  get freeSlots(): number {
    return this.stopping ? 0 : this.opts.concurrency - this.active.size - this.reserved;
  }

  /**
   * Direct dispatch: claim ready steps inside the caller's transaction (the one that made them
   * ready) and launch them right after it commits — one commit from enqueue to start. Returns the
   * release of the reserved slots, to call once the transaction has ended (committed or not).
   */
  async claimInto(tx: StoreTx): Promise<() => void> {
    const slots = this.freeSlots;
    if (slots <= 0) return () => undefined;
    this.reserved += slots;
    let released = false;
    const release = () => {
      if (!released) this.reserved -= slots;
      released = true;
    };
    try {
      const claimed = await claimWork(this.deps, tx, this.opts.owner, slots, this.limited);
      tx.afterCommit(() => {
        if (claimed.length) this.deps.fault?.('worker.afterClaim');
        release();
        for (const s of claimed) this.launch(s);
      });
    } catch (e) {
      release();
      throw e;
    }
    return release;
  }

  start(): void {
    this.loopDone = this.loop();
    this.hbTimer = setInterval(() => void this.heartbeat(), this.deps.config.heartbeatMs);
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Check leases and cancellation now (a run was cancelled in this process). */
  pokeHeartbeat(): void {
    void this.heartbeat();
  }

  /** Stop claiming; let running steps finish within `drainMs`, then hand the rest back to the queue. */
  async stop(drainMs: number): Promise<void> {
    this.stopping = true;
    const deadline = Date.now() + drainMs;
    while (this.active.size > 0 && Date.now() < deadline) await sleep(20);
    for (const a of this.active.values()) a.ac.abort('shutdown');
    while (this.active.size > 0) await sleep(20);
    this.wake();
    await this.loopDone;
    await this.flushFinished();
    if (this.hbTimer) clearInterval(this.hbTimer);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let busy = false;
      try {
        busy = await this.pass();
      } catch (e) {
        this.deps.logger.error({ err: toErrorRecord(e) }, 'worker pass failed; retrying');
        await sleep(this.deps.config.pollMs * 4);
      }
      if (!busy && !this.stopping) await this.idle();
    }
  }

  private idle(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wakeUp = null;
        this.woken = false;
        resolve();
      };
      const t = setTimeout(done, this.deps.config.pollMs);
      this.wakeUp = done;
    });
  }

  /** Whether a `max_concurrent` may apply: re-read every 500 ms (the pause is checked in the claim itself). */
  private limited = true;
  private settingsReadAt = 0;

  settingsChanged(): void {
    this.settingsReadAt = 0;
    this.wake();
  }

  private async refreshSettings(): Promise<void> {
    const now = Date.now();
    if (now - this.settingsReadAt < 500) return;
    this.settingsReadAt = now;
    const q = await this.deps.store.getQueueSettings();
    this.limited = q.maxConcurrent !== null;
  }

  private async pass(): Promise<boolean> {
    await this.refreshSettings();
    const done = this.finished;
    this.finished = [];
    const slots = this.freeSlots;
    if (done.length === 0 && slots <= 0) return false;
    let claimed: StepRecord[];
    if (done.length) this.deps.fault?.('worker.beforeResultCommit');
    try {
      claimed = await this.deps.store.transaction(async (tx) => {
        for (const f of done) {
          const ok =
            f.kind === 'result'
              ? await completeAttempt(this.deps, tx, f.r)
              : await releaseAttempt(this.deps, tx, f.r.fence, 'runner shutting down');
          if (!ok)
            this.deps.logger.warn(
              { step: f.r.fence.stepId, attempt: f.r.fence.attempt },
              'lease lost before the result was recorded; result discarded',
            );
        }
        return claimWork(this.deps, tx, this.opts.owner, slots, this.limited);
      });
    } catch (e) {
      // keep the results: a later pass records them (or the lease expires and the step is reclaimed)
      this.finished.unshift(...done.filter((f) => ++f.tries < 5));
      throw e;
    }
    if (done.length) this.deps.fault?.('worker.afterResultCommit');
    if (claimed.length) this.deps.fault?.('worker.afterClaim');
    for (const s of claimed) this.launch(s);
    return claimed.length > 0 || done.length > 0;
  }

  private async flushFinished(): Promise<void> {
    const done = this.finished;
    this.finished = [];
    if (done.length === 0) return;
    await this.deps.store.transaction(async (tx) => {
      for (const f of done) {
        if (f.kind === 'result') await completeAttempt(this.deps, tx, f.r);
        else await releaseAttempt(this.deps, tx, f.r.fence, 'runner shutting down');
      }
    });
  }

  private launch(step: StepRecord): void {
    const ac = new AbortController();
    this.active.set(step.id, { step, ac });
    const spec = step.spec;
    const fence = { stepId: step.id, owner: this.opts.owner, attempt: step.attempt };
    const job: StepJob = {
      runId: step.runId,
      stepId: step.id,
      stepKey: step.stepKey,
      attempt: step.attempt,
      iteration: step.iteration,
      ...(spec?.failureRetries === undefined ? {} : { lastAttempt: step.failures >= spec.failureRetries }),
      owner: this.opts.owner,
      command: spec?.command ?? '',
      cwd: spec?.cwd ?? this.opts.defaultCwd,
      env: {
        ...this.opts.baseEnv,
        ...(spec?.env ?? {}),
        BATON_RUN_ID: step.runId,
        BATON_STEP: step.stepKey,
        BATON_STEP_ID: step.id,
        BATON_ATTEMPT: String(step.attempt),
        BATON_WORKFLOW: spec?.workflowName ?? '',
      },
      dryRun: spec?.dryRun ?? false,
      ...(spec?.shell ? { shell: spec.shell } : {}),
      ...(spec?.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
      ...(spec?.agent ? { agent: spec.agent } : {}),
      ...(spec?.uses ? { uses: spec.uses } : {}),
    };
    const sink = this.opts.makeSink(step);
    const execute = async (): Promise<StepExecResult> => {
      if (!spec) throw new Error(`step ${step.stepKey} has no execution spec`);
      const running = this.opts.executor.execute(job, sink, ac.signal);
      if (this.deps.fault) setTimeout(() => this.deps.fault?.('worker.midStep'), 300).unref();
      const res = await running;
      await sink.flush();
      return res;
    };
    execute()
      .then((res) => {
        const r: AttemptResult = {
          fence,
          outcome: res.outcome,
          exitCode: res.exitCode,
          outputs: res.outputs,
          error: res.error
            ? {
                code: res.error.code,
                message: res.error.message,
                ...(res.error.retryable === undefined ? {} : { retryable: res.error.retryable }),
              }
            : null,
          ...(res.retryAt === undefined ? {} : { retryAt: res.retryAt }),
        };
        // a step interrupted by shutdown goes back to the queue; one that finished before it is recorded
        const shutdown = res.outcome === 'cancelled' && ac.signal.aborted && ac.signal.reason === 'shutdown';
        this.finished.push({ kind: shutdown ? 'release' : 'result', r, tries: 0 });
      })
      .catch((e: unknown) => {
        this.finished.push({
          kind: 'result',
          r: {
            fence,
            outcome: 'failure',
            exitCode: null,
            outputs: {},
            // an executor that crashed says nothing about retrying: the policy decides
            error: { code: 'internal', message: toErrorRecord(e).message },
          },
          tries: 0,
        });
      })
      .finally(() => {
        this.active.delete(step.id);
        this.wake();
      });
  }

  /** One batched lease renewal per tick; lost leases and cancelled runs abort their steps. */
  private async heartbeat(): Promise<void> {
    if (this.hbRunning || this.active.size === 0) return;
    this.hbRunning = true;
    try {
      const ids = [...this.active.keys()];
      const now = this.deps.clock.now();
      const { renewed, cancelled } = await this.deps.store.transaction((tx) =>
        tx.heartbeat(this.opts.owner, ids, now, this.deps.config.leaseMs),
      );
      const renewedSet = new Set(renewed);
      for (const id of ids) {
        const a = this.active.get(id);
        if (!a || a.ac.signal.aborted) continue;
        if (!renewedSet.has(id)) a.ac.abort('lease_lost');
        else if (cancelled.includes(id)) a.ac.abort('cancelled');
      }
    } catch (e) {
      this.deps.logger.warn({ err: toErrorRecord(e) }, 'heartbeat failed');
    } finally {
      this.hbRunning = false;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
