import { isActionName, parseActionInput } from '../domain/workflow/actionCatalog.ts';
import { describeAbortReason } from '../domain/describeAbortReason.ts';
import { BatonError, toErrorRecord } from '../domain/errors.ts';
import type { LogSink, StepExecResult, StepExecutor, StepJob } from '../engine/ports/stepExecutor.ts';
import type { Worktrees } from '../forges/git/worktrees.ts';
import type { ActionContext, ActionHandler, IssueAccess, RepoResolver } from './ActionContext.ts';
import { ActionFailed } from './ActionFailed.ts';
import { ACTION_HANDLERS } from './actionHandlers.ts';
import { sweepWorktrees } from './git/sweepWorktrees.ts';
import type { RunLookup } from '../runners/agent/sweepAgentHomes.ts';

export interface ActionExecutorOptions {
  repos: RepoResolver;
  mirrors: ActionContext['mirrors'];
  worktrees: Worktrees;
  issues?: IssueAccess;
  /** disk retention: worktrees of runs that ended `worktreeRetentionMs` ago (default 1 day) are removed */
  getRun?: RunLookup;
  worktreeRetentionMs?: number;
  /**
   * Crash windows for kill tests (DBOS `debugpoint.ts`): called with `action.done:<action>` after an
   * action's side effects and before its result is returned to be recorded. Production passes nothing.
   */
  fault?: (point: string) => void;
}

const SWEEP_EVERY_MS = 10 * 60_000;

const line = (s: string): Buffer => Buffer.from(`${s}\n`);

/**
 * Runs `uses:` steps host-side: checks the rendered `with:` against the action's schema, runs the
 * action with the step's idempotency key (`<run>:<step>:<iteration>`), and turns its outputs, a
 * reported failure (checks red, a merge refused) or an error into the step's result.
 */
export class ActionExecutor implements StepExecutor {
  private lastSweep = 0;

  constructor(private readonly o: ActionExecutorOptions) {}

  /** at most every 10 minutes, in the background: worktrees of runs that ended are removed */
  sweep(signal: AbortSignal = AbortSignal.timeout(5 * 60_000)): Promise<string[]> {
    const getRun = this.o.getRun;
    if (!getRun) return Promise.resolve([]);
    this.lastSweep = Date.now();
    return sweepWorktrees(this.o.worktrees, getRun, this.o.worktreeRetentionMs ?? 86_400_000, signal);
  }

  async execute(job: StepJob, sink: LogSink, signal: AbortSignal): Promise<StepExecResult> {
    const started = Date.now();
    const result = (r: Omit<StepExecResult, 'exitCode' | 'signal' | 'durationMs'>): StepExecResult => ({
      exitCode: r.outcome === 'success' ? 0 : null,
      signal: null,
      durationMs: Date.now() - started,
      ...r,
    });
    const fail = async (
      message: string,
      outputs: Record<string, string> = {},
      retryable?: boolean,
    ): Promise<StepExecResult> => {
      await sink.write('system', line(`action failed: ${message}`));
      const error = {
        code: 'step_failed' as const,
        message,
        ...(retryable === undefined ? {} : { retryable }),
      };
      return result({ outcome: 'failure', outputs, error });
    };
    const uses = job.uses;
    if (!uses) return fail('not a uses: step');
    if (!isActionName(uses.action)) return fail(`unknown action "${uses.action}"`);
    const input = parseActionInput(uses.action, uses.with);
    if (!input.ok) return fail(input.message);
    if (job.dryRun) {
      await sink.write(
        'system',
        line(`[dry-run] would run ${uses.action} with ${JSON.stringify(input.value)}`),
      );
      return result({ outcome: 'success', outputs: {} });
    }
    // the step's timeout bounds the action (a wait for checks or for a merge included)
    const timeoutMs = job.timeoutMs;
    const timer = timeoutMs === undefined ? null : AbortSignal.timeout(timeoutMs);
    const actionSignal = timer === null ? signal : AbortSignal.any([signal, timer]);
    const ctx: ActionContext = {
      job: { ...job, uses },
      idempotencyKey: `${job.runId}:${job.stepKey}:${job.iteration ?? 0}`,
      signal: actionSignal,
      log: async (s) => void (await sink.write('stdout', line(s))),
      repos: this.o.repos,
      mirrors: this.o.mirrors,
      worktrees: this.o.worktrees,
      ...(this.o.issues ? { issues: this.o.issues } : {}),
      ...(this.o.getRun ? { getRun: this.o.getRun } : {}),
    };
    if (this.o.getRun && Date.now() - this.lastSweep > SWEEP_EVERY_MS)
      void this.sweep().catch(() => undefined);
    await sink.write('system', line(`action ${uses.action}`));
    try {
      const handler = ACTION_HANDLERS[uses.action] as ActionHandler<typeof input.value>;
      const outputs = await handler(input.value, ctx);
      this.o.fault?.(`action.done:${uses.action}`);
      return result({ outcome: 'success', outputs });
    } catch (e) {
      if (signal.aborted) {
        const message = describeAbortReason(signal.reason);
        return result({ outcome: 'cancelled', outputs: {}, error: { code: 'cancelled', message } });
      }
      if (timer?.aborted) {
        const message = `${uses.action} timed out after ${Math.round((timeoutMs ?? 0) / 1000)}s (the step's timeout)`;
        await sink.write('system', line(`action failed: ${message}`));
        return result({ outcome: 'timeout', outputs: {}, error: { code: 'step_timeout', message } });
      }
      if (e instanceof ActionFailed) return fail(e.message, e.outputs, e.retryable);
      const hint = e instanceof BatonError && e.hint ? ` (${e.hint})` : '';
      // a typed error says whether trying again can help; anything else is left to the retry policy
      const retryable = e instanceof BatonError ? e.retryable : undefined;
      return fail(`${uses.action}: ${toErrorRecord(e).message}${hint}`, {}, retryable);
    }
  }
}
