import { DEFAULT_WORKSPACE } from '../../domain/access/defaultWorkspace.ts';
import { BatonError } from '../../domain/errors.ts';
import { renderTemplate } from '../../domain/expressions/index.ts';
import type { RunRecord, RunTrigger, StepRecord, WorkflowRecord } from '../../domain/records.ts';
import { coerceInputs } from '../../domain/workflow/coerceInputs.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import type { StoreTx } from '../ports/store.ts';
import { advanceRun } from './advanceSystem.ts';
import { hashRequest } from './hashRequest.ts';

export interface CreateRunRequest {
  workflow: WorkflowRecord;
  /** raw inputs (CLI strings are coerced to the declared types) */
  inputs?: Record<string, unknown>;
  idempotencyKey?: string;
  priority?: number;
  dryRun?: boolean;
  trigger?: RunTrigger;
  createdBy?: string;
  parent?: { runId: string; stepId: string; index: number };
  /** a repository registered in the workflow's workspace (checked by the caller) */
  repositoryId?: string | null;
}

export interface CreateRunResult {
  run: RunRecord;
  /** false when an idempotency key matched an earlier run */
  created: boolean;
}

/** Creates a run and its steps in `tx`, admits it when its concurrency key has room. */
export async function createRunInTx(
  deps: EngineDeps,
  tx: StoreTx,
  req: CreateRunRequest,
): Promise<CreateRunResult> {
  const now = deps.clock.now();
  const def = req.workflow.definition;
  const inputs = coerceInputs(def.inputs, req.inputs ?? {});
  const requestHash = hashRequest({
    w: def.name,
    inputs,
    dry: req.dryRun ?? false,
    ...(req.repositoryId ? { repo: req.repositoryId } : {}),
  });
  if (req.idempotencyKey) {
    const existing = await tx.getIdempotencyKey(
      idempotencyScope(req.workflow.workspaceId),
      req.idempotencyKey,
    );
    if (existing) {
      if (existing.requestHash !== requestHash) {
        throw new BatonError(
          'idempotency_mismatch',
          `idempotency key "${req.idempotencyKey}" was already used for a different request`,
          {
            field: 'idempotencyKey',
            hint: 'use a new key for a different workflow or different inputs',
            details: { runId: existing.resourceId },
          },
        );
      }
      const run = await tx.getRun(existing.resourceId);
      if (run) return { run, created: false };
    }
  }
  const id = deps.newId();
  const runCtx = { inputs, steps: {}, run: { id, workflow: def.name }, env: {} };
  const concurrencyKey = def.concurrency
    ? `${def.name}:${renderTemplate(def.concurrency.key, runCtx)}`
    : null;
  const run: RunRecord = {
    id,
    workflowName: def.name,
    workflowVersion: req.workflow.version,
    workspaceId: req.workflow.workspaceId,
    repositoryId: req.repositoryId ?? null,
    definition: def,
    status: 'queued',
    inputs,
    outputs: null,
    error: null,
    priority: req.priority ?? def.priority,
    concurrencyKey,
    concurrencyLimit: def.concurrency?.limit ?? null,
    parentRunId: req.parent?.runId ?? null,
    parentStepId: req.parent?.stepId ?? null,
    parentIndex: req.parent?.index ?? null,
    idempotencyKey: req.idempotencyKey ?? null,
    trigger: req.trigger ?? 'manual',
    dryRun: req.dryRun ?? false,
    baseDir: req.workflow.baseDir,
    loopCounts: {},
    createdBy: req.createdBy ?? null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    updatedAt: now,
  };
  await tx.insertRun(run);
  if (req.idempotencyKey) {
    await tx.insertIdempotencyKey(
      idempotencyScope(req.workflow.workspaceId),
      req.idempotencyKey,
      id,
      requestHash,
      now,
    );
  }
  const steps: StepRecord[] = def.steps.map((s, position) => ({
    id: deps.newId(),
    runId: id,
    stepKey: s.id,
    kind: s.kind,
    position,
    status: 'pending',
    attempt: 0,
    failures: 0,
    reclaims: 0,
    iteration: 0,
    availableAt: now,
    priority: run.priority,
    leaseOwner: null,
    leaseExpiresAt: null,
    outcome: null,
    outputs: null,
    error: null,
    forced: false,
    spec: null,
    startedAt: null,
    finishedAt: null,
    updatedAt: now,
  }));
  await tx.insertSteps(steps);
  await tx.insertEvents(
    [
      ev('run.created', id, null, {
        workflow: def.name,
        inputs,
        trigger: run.trigger,
        dryRun: run.dryRun,
        priority: run.priority,
      }),
    ],
    now,
  );
  const admitted = await tryAdmit(deps, tx, run);
  return { run: admitted ?? run, created: true };
}

async function limitFor(tx: StoreTx, run: RunRecord): Promise<number | null> {
  if (!run.concurrencyKey) return null;
  return (await tx.getConcurrencyLimit(run.concurrencyKey)) ?? run.concurrencyLimit ?? 1;
}

/** queued → running when the run's concurrency key has a free slot; returns the admitted run. */
export async function tryAdmit(
  deps: EngineDeps,
  tx: StoreTx,
  run: RunRecord,
): Promise<RunRecord | undefined> {
  const limit = await limitFor(tx, run);
  if (limit !== null && run.concurrencyKey) {
    await tx.lock(`concurrency:${run.concurrencyKey}`);
    if ((await tx.countActiveRunsByKey(run.concurrencyKey)) >= limit) return undefined;
  }
  const now = deps.clock.now();
  if (!(await tx.updateRun(run.id, { status: 'running', startedAt: now, updatedAt: now }, ['queued'])))
    return undefined;
  await tx.insertEvents([ev('run.started', run.id, null, { concurrencyKey: run.concurrencyKey })], now);
  await advanceRun(deps, tx, run.id);
  tx.afterCommit(deps.hints.workAvailable);
  return tx.getRun(run.id);
}

/** After a run leaves its slot: admit the next queued runs (priority, then age). */
export async function admitQueued(
  deps: EngineDeps,
  tx: StoreTx,
  key: string | null,
  max = 20,
): Promise<number> {
  let admitted = 0;
  for (const run of await tx.listQueuedRuns(key, max)) {
    if (await tryAdmit(deps, tx, run)) admitted++;
    else if (key !== null) break;
  }
  return admitted;
}

/** Idempotency keys are per workspace (`run` for the default one, as before workspaces existed). */
function idempotencyScope(workspaceId: string): string {
  return workspaceId === DEFAULT_WORKSPACE ? 'run' : `run:${workspaceId}`;
}
