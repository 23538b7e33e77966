import { isTerminalRun } from '../../domain/runStatus.ts';
import type { RunFilter } from '../../engine/ports/store.ts';
import type { BatonApp } from '../../main/openBaton.ts';
import { hasLiveRunner, liveRunners } from '../liveRunner.ts';
import { uniqueRunPrefix } from '../uniqueRunPrefix.ts';
import { decodeCursor, encodeCursor } from '../runCursor.ts';
import type {
  Backend,
  ChangedRun,
  KeyLimit,
  LogQuery,
  QueuePatch,
  QueueStatus,
  RunChange,
  RunListQuery,
  RunPage,
  RunWatch,
  StartedRun,
  StartRunRequest,
  WorkflowView,
} from './Backend.ts';
import { PollWatch } from './pollWatch.ts';
import { detailsView, queueView, runView, type RunDetailsView } from './runView.ts';

/** The database, through the engine of this process (what `baton` did before remote mode). */
export class DirectBackend implements Backend {
  readonly where = 'local';
  readonly remote = false;

  constructor(
    private readonly app: Pick<BatonApp, 'engine' | 'store'>,
    private readonly o: { heartbeatMs: number; pollMs?: number },
  ) {}

  private get engine() {
    return this.app.engine;
  }

  async getRun(run: string): Promise<RunDetailsView> {
    return detailsView(await this.engine.getRun(await this.engine.resolveRunId(run)));
  }

  async listRuns(q: RunListQuery): Promise<RunPage> {
    const filter: RunFilter = {
      limit: q.limit + 1,
      ...(q.status.length ? { status: q.status } : {}),
      ...(q.workflow ? { workflowName: q.workflow } : {}),
      ...(q.cursor ? { before: decodeCursor(q.cursor) } : {}),
    };
    const rows = await this.engine.listRuns(filter);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      runs: page.map(runView),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  readLogs(q: LogQuery) {
    return this.engine.readLogs(q.runId, q.stepKey, q.attempt, q.afterSeq, q.limit);
  }

  async changeRun(run: string, c: RunChange): Promise<ChangedRun> {
    const id = await this.engine.resolveRunId(run);
    const actor = { by: c.by, ...('reason' in c && c.reason !== undefined ? { reason: c.reason } : {}) };
    const decision = {
      by: c.by,
      ...('comment' in c && c.comment !== undefined ? { comment: c.comment } : {}),
    };
    const r = await (() => {
      switch (c.action) {
        case 'cancel':
          return this.engine.cancel(id, actor);
        case 'pause':
          return this.engine.pause(id, actor);
        case 'resume':
          return this.engine.resume(id, actor);
        case 'advance':
          return this.engine.advance(id, c.step, actor);
        case 'retry':
          return this.engine.retry(id, c.step, actor);
        case 'approve':
          return this.engine.approve(id, c.step, decision);
        case 'reject':
          return this.engine.reject(id, c.step, decision);
      }
    })();
    const live =
      isTerminalRun(r.status) ||
      r.status === 'paused' ||
      (await hasLiveRunner(this.app.store, this.o.heartbeatMs));
    const decided = c.action === 'approve' || c.action === 'reject';
    return { run: runView(r), live, ...(decided ? { decidedBy: c.by } : {}) };
  }

  uniqueRunPrefix(id: string): Promise<string> {
    return uniqueRunPrefix(this.app.store, id);
  }

  async startRun(req: StartRunRequest): Promise<StartedRun> {
    const { resolveWorkflowArg } = await import('../resolveWorkflowArg.ts');
    const wf = await resolveWorkflowArg(this.engine, req.workflow, req.cwd, req.workflowDirs);
    const { run, created } = await this.engine.createRun({
      workflow: wf.name,
      inputs: req.inputs,
      ...(req.idempotencyKey === undefined ? {} : { idempotencyKey: req.idempotencyKey }),
      ...(req.priority === undefined ? {} : { priority: req.priority }),
      dryRun: req.dryRun,
      createdBy: req.by,
    });
    return { run: runView(run), created, warnings: wf.warnings, notes: [] };
  }

  async listWorkflows(o: { withInputs: boolean }): Promise<WorkflowView[]> {
    const list = await this.engine.listWorkflows();
    return list
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((w) => ({
        name: w.name,
        version: w.version,
        description: w.definition.description ?? null,
        steps: w.definition.steps.length,
        ...(o.withInputs ? { inputs: w.definition.inputs } : {}),
        origin: w.origin,
        sourcePath: w.sourcePath,
        updatedAt: w.updatedAt,
      }));
  }

  async queueStatus(): Promise<QueueStatus> {
    const now = Date.now();
    const [settings, runners] = await Promise.all([
      this.engine.queueSettings(),
      liveRunners(this.app.store, this.o.heartbeatMs, now),
    ]);
    return { settings: queueView(settings), runners };
  }

  async updateQueue(patch: QueuePatch, by: string) {
    await this.engine.updateQueue(patch, { by });
    return queueView(await this.engine.queueSettings());
  }

  listKeyLimits(): Promise<KeyLimit[]> {
    return this.app.store.listConcurrencyLimits();
  }

  setKeyLimit(key: string, limit: number | null, by: string): Promise<void> {
    return this.engine.setKeyLimit(key, limit, { by });
  }

  watchRun(_runId: string, signal: AbortSignal): RunWatch {
    return new PollWatch(this.o.pollMs ?? 250, signal);
  }
}
