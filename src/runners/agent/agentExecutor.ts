import { mkdir } from 'node:fs/promises';
import type { CursorWebhookWait } from '../../agents/run/HttpAgentRuntime.ts';
import { isCliRuntime, isHttpRuntime } from '../../agents/runtimes/runtimeRegistry.ts';
import { renderEvent } from '../../agents/transcript/renderEvent.ts';
import type { TranscriptEvent } from '../../agents/transcript/transcriptEvent.ts';
import type { CatalogRole } from '../../domain/agents/resolveRole.ts';
import { canonicalRoleName } from '../../domain/agents/resolveRole.ts';
import type { LogSink, StepExecResult, StepExecutor, StepJob } from '../../engine/ports/stepExecutor.ts';
import type { AgentAttempt, AttemptOutcome } from './agentAttempt.ts';
import type { AgentStepStore, NamedEndpoint, PlanApprovals } from './agentStepPorts.ts';
import { AttemptRecorder } from './attemptRecorder.ts';
import { planSession } from './planSession.ts';
import { renderRolePrompt } from './renderRolePrompt.ts';
import { runCliAttempt } from './runCliAttempt.ts';
import { runHttpAttempt } from './runHttpAttempt.ts';
import { stepLimits } from './stepLimits.ts';
import { grantedSecrets } from './grantedSecrets.ts';
import { stepResultOf } from './stepResultOf.ts';
import { sweepAgentHomes, type RunLookup } from './sweepAgentHomes.ts';
import { TranscriptWriter } from './transcriptWriter.ts';
import { buildContextPack, type RecentRuns } from './buildContextPack.ts';
import { costFromPrices, type PriceTable } from '../../agents/transcript/priceTable.ts';

/** A role of a workspace's catalog (undefined: none by that name; `error`: a stored role that no longer validates). */
export type RoleLookup = (
  workspaceId: string,
  name: string,
) => Promise<CatalogRole | { error: string } | undefined>;

export interface AgentExecutorOptions {
  roles: RoleLookup;
  /** attempts, spend, budgets and transcripts */
  store: AgentStepStore;
  /** the server's environment: model endpoints and keys, PATH, BATON_<RUNTIME>_BIN */
  hostEnv: NodeJS.ProcessEnv;
  /** isolated HOMEs go below `<dataDir>/agent-homes/<run>/<step>` (kept until the run has ended) */
  dataDir: string;
  killGraceMs: number;
  /** named model endpoints (config `agents.endpoints`) that steps and roles refer to */
  endpoints?: Readonly<Record<string, NamedEndpoint>>;
  /** USD per million tokens by model (config `agents.prices`), for runtimes that report no cost */
  prices?: PriceTable;
  /** the `recent_runs` context pack reads earlier runs of the workflow here */
  recentRuns?: RecentRuns;
  /** Jules plans become Baton approvals */
  approvals?: PlanApprovals;
  /** Cursor agents finish on the signed webhook */
  cursorWebhook?: CursorWebhookWait;
  /** for the HOME sweep: finished runs' HOMEs are removed after `homeRetentionMs` (default 1 h) */
  getRun?: RunLookup;
  homeRetentionMs?: number;
  /** the server variables a step may be granted (`agent.secrets`; BATON_STEP_ENV) */
  grantable?: readonly string[];
  /** extra variables for the agent CLI (tests: proxies); never secrets */
  extraEnv?: Record<string, string>;
  /** when a rate limit does not say when it resets, try again after this long (default 60 s) */
  rateLimitFallbackMs?: number;
  /** Jules / Cursor status polls (default 5 s) */
  pollIntervalMs?: number;
}

const line = (s: string): Buffer => Buffer.from(`${s}\n`);
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Runs `agent:` steps: resolves the role from the workspace's catalog, builds the prompt, runs the
 * agent (a CLI or an HTTP runtime) within the step's, run's and workspace's budgets, continuing an
 * earlier session when there is one to continue, records the attempt and its transcript, and turns
 * the final JSON answer into step outputs checked against the role's contract.
 */
export class AgentExecutor implements StepExecutor {
  private lastSweep = 0;

  constructor(private readonly o: AgentExecutorOptions) {}

  async execute(job: StepJob, sink: LogSink, signal: AbortSignal): Promise<StepExecResult> {
    const started = Date.now();
    const fail = (message: string): StepExecResult => {
      void sink.write('system', line(`agent step failed: ${message}`));
      return {
        outcome: 'failure',
        exitCode: null,
        signal: null,
        outputs: {},
        error: { code: 'step_failed', message },
        durationMs: Date.now() - started,
      };
    };
    const spec = job.agent;
    if (!spec) return fail('not an agent step');
    const role =
      spec.role === null ? undefined : await this.o.roles(spec.workspaceId, canonicalRoleName(spec.role));
    if (role && 'error' in role) return fail(role.error);
    if (spec.role !== null && !role)
      return fail(`role "${spec.role}" is not in the catalog of workspace "${spec.workspaceId}"`);
    const runtime = spec.runtime ?? role?.spec.runtime ?? 'claude-code';
    if (runtime === 'shell')
      return fail(
        `role "${role?.name ?? ''}" runs on shell: write the command as a run: step, or set agent.runtime`,
      );
    const endpointName = spec.endpoint ?? role?.spec.endpoint;
    const named = endpointName === undefined ? undefined : this.o.endpoints?.[endpointName];
    if (endpointName !== undefined && !named) {
      const known = Object.keys(this.o.endpoints ?? {});
      return fail(
        `endpoint "${endpointName}" is not configured (agents.endpoints${known.length ? `: ${known.join(', ')}` : ' is empty'})`,
      );
    }
    const model = spec.model ?? named?.model ?? role?.spec.model;
    const context =
      role && role.spec.context_packs.length > 0 && !job.dryRun
        ? await buildContextPack(
            {
              packs: role.spec.context_packs,
              cwd: job.cwd,
              runId: job.runId,
              ...(this.o.recentRuns ? { recentRuns: this.o.recentRuns } : {}),
            },
            signal,
          )
        : '';
    const task = role ? renderRolePrompt(role.spec, { task: spec.prompt, context }) : spec.prompt;
    if (job.dryRun) {
      await sink.write(
        'system',
        line(
          `[dry-run] would run ${role ? `role ${role.name} ` : ''}on ${runtime}${model ? ` (${model})` : ''}: ${spec.prompt}`,
        ),
      );
      return { outcome: 'success', exitCode: 0, signal: null, outputs: {}, durationMs: Date.now() - started };
    }
    const granted = grantedSecrets(spec.secrets ?? [], this.o.grantable ?? [], this.o.hostEnv);
    if ('problem' in granted) return fail(granted.problem);
    this.sweepHomes();
    const { store } = this.o;
    const limits = await stepLimits(spec, job.runId, job.timeoutMs, store, Date.now());
    const session = planSession({
      dataDir: this.o.dataDir,
      runId: job.runId,
      stepKey: job.stepKey,
      iteration: job.iteration ?? 0,
      runtime,
      prompt: task,
      ...(spec.continueStep === undefined ? {} : { continueStep: spec.continueStep }),
      attempts: await store.listAgentAttempts(job.runId, spec.continueStep ?? job.stepKey),
    });
    const recorder = new AttemptRecorder(store, {
      stepId: job.stepId,
      attempt: job.attempt,
      runId: job.runId,
      workspaceId: spec.workspaceId,
      stepKey: job.stepKey,
      iteration: job.iteration ?? 0,
      runtime,
      model: model ?? null,
      sessionId: session.resumeSessionId ?? session.newSessionId ?? null,
      homeDir: isCliRuntime(runtime) ? session.homeDir : null,
      startedAt: started,
    });
    if ('exceeded' in limits) {
      await recorder.fail('budget_exceeded', limits.exceeded);
      return fail(`budget_exceeded: ${limits.exceeded}`);
    }
    await recorder.start();
    const transcript = new TranscriptWriter((rows) => store.appendAgentEvents(rows), {
      stepId: job.stepId,
      attempt: job.attempt,
    });
    await sink.write(
      'system',
      line(
        `agent: ${role ? `role ${role.name}, ` : ''}${runtime}${model ? `, model ${model}` : ''}${endpointName ? `, endpoint ${endpointName}` : ''}`,
      ),
    );
    if (session.note) await sink.write('system', line(`agent: ${session.note}`));
    const attempt: AgentAttempt = {
      job,
      spec,
      role,
      runtime,
      model,
      prompt: task,
      session,
      limits: limits.limits,
      endpoint: named && endpointName ? { name: endpointName, endpoint: named } : undefined,
      grantedEnv: granted.env,
      onEvent: (e: TranscriptEvent) => {
        transcript.push(e);
        if (e.kind === 'session' && e.session_id) recorder.session(e.session_id);
        if ((e.kind === 'message' || e.kind === 'reasoning') && e.delta) return;
        void sink.write('stdout', line(renderEvent(e, { cwd: job.cwd })));
      },
    };
    const r = await this.run(attempt, signal);
    try {
      await transcript.flush();
    } catch (e) {
      await sink.write('system', line(`the transcript was not stored completely: ${(e as Error).message}`));
    }
    if ('problem' in r) {
      await recorder.fail('failed', r.problem);
      return fail(r.problem);
    }
    const costUsd =
      r.summary.cost_usd ?? costFromPrices(r.summary.usage, model ?? r.summary.model, this.o.prices);
    await recorder.finish(r, costUsd);
    const s = r.summary;
    await sink.write(
      'system',
      line(
        `agent ${r.status}: ${r.reason} (${s.usage.input} tokens in, ${s.usage.output} out${costUsd === null ? '' : `, $${costUsd}`})`,
      ),
    );
    const result = stepResultOf(r, {
      role,
      remote: runtime === 'jules' || runtime === 'cursor',
      costUsd,
      started,
      rateLimitFallbackMs: this.o.rateLimitFallbackMs ?? 60_000,
    });
    if (result.retryAt !== undefined)
      await sink.write(
        'system',
        line(`agent rate limited: waiting until ${new Date(result.retryAt).toISOString()}`),
      );
    return result;
  }

  private async run(a: AgentAttempt, signal: AbortSignal): Promise<AttemptOutcome | { problem: string }> {
    if (isCliRuntime(a.runtime)) {
      await mkdir(a.session.homeDir, { recursive: true });
      return runCliAttempt(
        a,
        a.runtime,
        {
          hostEnv: this.o.hostEnv,
          killGraceMs: this.o.killGraceMs,
          ...(this.o.extraEnv ? { extraEnv: this.o.extraEnv } : {}),
          ...(this.o.rateLimitFallbackMs === undefined
            ? {}
            : { rateLimitFallbackMs: this.o.rateLimitFallbackMs }),
        },
        signal,
      );
    }
    if (isHttpRuntime(a.runtime)) {
      return runHttpAttempt(
        a,
        a.runtime,
        {
          hostEnv: this.o.hostEnv,
          ...(this.o.approvals ? { approvals: this.o.approvals } : {}),
          ...(this.o.cursorWebhook ? { cursorWebhook: this.o.cursorWebhook } : {}),
          ...(this.o.pollIntervalMs === undefined ? {} : { pollIntervalMs: this.o.pollIntervalMs }),
          ...(this.o.rateLimitFallbackMs === undefined
            ? {}
            : { rateLimitFallbackMs: this.o.rateLimitFallbackMs }),
        },
        signal,
      );
    }
    return { problem: `runtime "${String(a.runtime)}" cannot run agent steps` };
  }

  /** at most every 10 minutes, in the background: HOMEs of runs that ended are removed */
  private sweepHomes(): void {
    const getRun = this.o.getRun;
    if (!getRun || Date.now() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = Date.now();
    void sweepAgentHomes(this.o.dataDir, getRun, this.o.homeRetentionMs ?? 3_600_000).catch(() => undefined);
  }
}
