import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentRunResult } from '../../agents/run/AgentRunResult.ts';
import { runAgent } from '../../agents/run/runAgent.ts';
import { getCliRuntime, isCliRuntime } from '../../agents/runtimes/runtimeRegistry.ts';
import { renderEvent } from '../../agents/transcript/renderEvent.ts';
import type { CatalogRole } from '../../domain/agents/resolveRole.ts';
import { canonicalRoleName } from '../../domain/agents/resolveRole.ts';
import type { AgentEventRecord, AgentExecSpec } from '../../domain/records.ts';
import type { LogSink, StepExecResult, StepExecutor, StepJob } from '../../engine/ports/stepExecutor.ts';
import { contractOutputs } from './contractOutputs.ts';
import { endpointFor } from './endpointFor.ts';
import { extractFinalJson } from './extractFinalJson.ts';
import { renderRolePrompt } from './renderRolePrompt.ts';
import { TranscriptWriter } from './transcriptWriter.ts';

/** A role of a workspace's catalog (undefined: none by that name; `error`: a stored role that no longer validates). */
export type RoleLookup = (
  workspaceId: string,
  name: string,
) => Promise<CatalogRole | { error: string } | undefined>;

export interface AgentExecutorOptions {
  roles: RoleLookup;
  /** the server's environment: model endpoints and keys, PATH, BATON_<RUNTIME>_BIN */
  hostEnv: NodeJS.ProcessEnv;
  /** isolated HOMEs go below `<dataDir>/agent-homes` (removed after each attempt) */
  dataDir: string;
  killGraceMs: number;
  /** extra variables for the agent CLI (tests: proxies); never secrets */
  extraEnv?: Record<string, string>;
  /** when a rate limit does not say when it resets, try again after this long (default 60 s) */
  rateLimitFallbackMs?: number;
  /** stores the transcript events of each attempt (default: not stored, only the readable log) */
  saveTranscript?: (rows: AgentEventRecord[]) => Promise<void>;
}

const line = (s: string): Buffer => Buffer.from(`${s}\n`);

/**
 * Runs `agent:` steps: resolves the role from the workspace's catalog, builds the prompt, runs the
 * agent CLI with the step's budget as hard stops, writes the readable transcript to the step's log,
 * and turns the final JSON answer into step outputs checked against the role's contract.
 */
export class AgentExecutor implements StepExecutor {
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
    const runtimeId = spec.runtime ?? role?.spec.runtime ?? 'claude-code';
    if (!isCliRuntime(runtimeId)) {
      return fail(
        `runtime "${runtimeId}" cannot run agent steps yet (claude-code, codex and gemini-cli can): set agent.runtime`,
      );
    }
    const prompt = role ? renderRolePrompt(role.spec, { task: spec.prompt }) : spec.prompt;
    const model = spec.model ?? role?.spec.model;
    if (job.dryRun) {
      await sink.write(
        'system',
        line(
          `[dry-run] would run ${role ? `role ${role.name} ` : ''}on ${runtimeId}${model ? ` (${model})` : ''}: ${spec.prompt}`,
        ),
      );
      return { outcome: 'success', exitCode: 0, signal: null, outputs: {}, durationMs: Date.now() - started };
    }
    await mkdir(join(this.o.dataDir, 'agent-homes'), { recursive: true });
    const homeDir = await mkdtemp(join(this.o.dataDir, 'agent-homes', `${job.stepKey}-${job.attempt}-`));
    const transcript = this.o.saveTranscript
      ? new TranscriptWriter(this.o.saveTranscript, { stepId: job.stepId, attempt: job.attempt })
      : undefined;
    try {
      await sink.write(
        'system',
        line(`agent: ${role ? `role ${role.name}, ` : ''}${runtimeId}${model ? `, model ${model}` : ''}`),
      );
      const result = await runAgent(
        getCliRuntime(runtimeId),
        {
          prompt,
          cwd: job.cwd,
          ...(model ? { model } : {}),
          ...((spec.maxTurns ?? spec.budget.turns) ? { maxTurns: spec.maxTurns ?? spec.budget.turns } : {}),
          ...(spec.budget.usd ? { maxBudgetUsd: spec.budget.usd } : {}),
          ...tools(spec, role, 'allowed'),
          ...tools(spec, role, 'disallowed'),
          endpoint: endpointFor(runtimeId, this.o.hostEnv),
          grantedEnv: {},
          homeDir,
        },
        {
          limits: {
            ...(spec.budget.tokens ? { maxTokens: spec.budget.tokens } : {}),
            ...(spec.budget.usd ? { maxCostUsd: spec.budget.usd } : {}),
            ...((spec.budget.wallMs ?? job.timeoutMs)
              ? { maxWallMs: spec.budget.wallMs ?? job.timeoutMs }
              : {}),
            ...((spec.budget.turns ?? spec.maxTurns) ? { maxTurns: spec.budget.turns ?? spec.maxTurns } : {}),
            ...(spec.budget.stallMs ? { stallMs: spec.budget.stallMs } : {}),
          },
          onEvent: (e) => {
            transcript?.push(e);
            if ((e.kind === 'message' || e.kind === 'reasoning') && e.delta) return;
            void sink.write('stdout', line(renderEvent(e)));
          },
          killGraceMs: this.o.killGraceMs,
          hostEnv: this.o.hostEnv,
          ...(this.o.extraEnv ? { extraEnv: this.o.extraEnv } : {}),
          ...(this.o.rateLimitFallbackMs === undefined
            ? {}
            : { rateLimitFallbackMs: this.o.rateLimitFallbackMs }),
        },
        signal,
      );
      try {
        await transcript?.flush();
      } catch (e) {
        await sink.write('system', line(`the transcript was not stored completely: ${(e as Error).message}`));
      }
      return await this.finish(result, role, sink, started);
    } finally {
      await rm(homeDir, { recursive: true, force: true });
    }
  }

  private async finish(
    r: AgentRunResult,
    role: CatalogRole | undefined,
    sink: LogSink,
    started: number,
  ): Promise<StepExecResult> {
    const s = r.summary;
    const metrics: Record<string, string> = {
      tokens_in: String(s.usage.input),
      tokens_out: String(s.usage.output),
      ...(s.cost_usd === null ? {} : { cost_usd: String(s.cost_usd) }),
      ...(r.sessionId ? { session_id: r.sessionId } : {}),
      files_changed: JSON.stringify(s.files_changed.map((f) => f.path)),
    };
    await sink.write(
      'system',
      line(
        `agent ${r.status}: ${r.reason} (${s.usage.input} tokens in, ${s.usage.output} out${s.cost_usd === null ? '' : `, $${s.cost_usd}`})`,
      ),
    );
    const base = { exitCode: r.exitCode, signal: r.signal, durationMs: Date.now() - started };
    switch (r.status) {
      case 'succeeded': {
        const { outputs, problem } = contractOutputs(extractFinalJson(s.final_text ?? ''), role?.spec.output);
        if (problem) {
          return {
            ...base,
            outcome: 'failure',
            outputs: metrics,
            error: { code: 'step_failed', message: problem },
          };
        }
        return { ...base, outcome: 'success', outputs: { ...outputs, ...metrics } };
      }
      case 'timed_out':
        return {
          ...base,
          outcome: 'timeout',
          outputs: metrics,
          error: { code: 'step_timeout', message: r.reason },
        };
      case 'cancelled':
        return {
          ...base,
          outcome: 'cancelled',
          outputs: metrics,
          error: { code: 'cancelled', message: r.reason },
        };
      case 'rate_limited': {
        // the engine parks the step until the reset, then runs it again
        const retryAt = r.rateLimitResetAt ?? Date.now() + (this.o.rateLimitFallbackMs ?? 60_000);
        await sink.write(
          'system',
          line(`agent rate limited: waiting until ${new Date(retryAt).toISOString()}`),
        );
        return {
          ...base,
          outcome: 'failure',
          outputs: metrics,
          retryAt,
          error: { code: 'step_failed', message: `rate_limited: ${r.reason}` },
        };
      }
      case 'failed':
      case 'budget_exceeded':
      case 'stalled':
      case 'looping':
      case 'crashed':
        return {
          ...base,
          outcome: 'failure',
          outputs: metrics,
          error: { code: 'step_failed', message: `${r.status}: ${r.reason}` },
        };
    }
  }
}

function tools(spec: AgentExecSpec, role: CatalogRole | undefined, which: 'allowed' | 'disallowed') {
  const list =
    which === 'allowed'
      ? (spec.allowedTools ?? role?.spec.allowed_tools)
      : (spec.disallowedTools ?? role?.spec.disallowed_tools);
  if (!list || list.length === 0) return {};
  return which === 'allowed' ? { allowedTools: list } : { disallowedTools: list };
}
