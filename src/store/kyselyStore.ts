import { sql, type Kysely } from 'kysely';
import type { NewEvent, Store, StoreTx } from '../engine/ports/store.ts';
import type { Database } from './schema.ts';
import { advanceSchedule } from './queries/advanceSchedule.ts';
import { appendAgentEvents } from './queries/appendAgentEvents.ts';
import { getWorkspaceBudget } from './queries/agents/getWorkspaceBudget.ts';
import { listAgentAttempts } from './queries/agents/listAgentAttempts.ts';
import { setWorkspaceBudget } from './queries/agents/setWorkspaceBudget.ts';
import { sumAgentSpend } from './queries/agents/sumAgentSpend.ts';
import { upsertAgentAttempt } from './queries/agents/upsertAgentAttempt.ts';
import { appendLogs } from './queries/appendLogs.ts';
import { readAgentEvents } from './queries/readAgentEvents.ts';
import { countActiveRunsByKey } from './queries/countActiveRunsByKey.ts';
import { countLeasedSteps } from './queries/countLeasedSteps.ts';
import { deleteSchedulesExcept } from './queries/deleteSchedulesExcept.ts';
import { findRunsByIdPrefix } from './queries/findRunsByIdPrefix.ts';
import { finishAttempt } from './queries/finishAttempt.ts';
import { getConcurrencyLimit } from './queries/getConcurrencyLimit.ts';
import { getIdempotencyKey } from './queries/getIdempotencyKey.ts';
import { getPendingWait } from './queries/getPendingWait.ts';
import { getQueueSettings } from './queries/getQueueSettings.ts';
import { getRun } from './queries/getRun.ts';
import { getStep } from './queries/getStep.ts';
import { getWorkflow } from './queries/getWorkflow.ts';
import { heartbeat } from './queries/heartbeat.ts';
import { insertAttempts } from './queries/insertAttempts.ts';
import { insertEventRows, insertEvents } from './queries/insertEvents.ts';
import { insertIdempotencyKey } from './queries/insertIdempotencyKey.ts';
import { insertRun } from './queries/insertRun.ts';
import { insertSteps } from './queries/insertSteps.ts';
import { insertWait } from './queries/insertWait.ts';
import { listAttempts } from './queries/listAttempts.ts';
import { listChildRuns } from './queries/listChildRuns.ts';
import { listDueSchedules } from './queries/listDueSchedules.ts';
import { listDueWaits } from './queries/listDueWaits.ts';
import { listEvents } from './queries/listEvents.ts';
import { listExpiredLeases } from './queries/listExpiredLeases.ts';
import { listPendingWaits } from './queries/listPendingWaits.ts';
import { listQueuedRuns } from './queries/listQueuedRuns.ts';
import { listRunners } from './queries/listRunners.ts';
import { listRuns } from './queries/listRuns.ts';
import { listSteps } from './queries/listSteps.ts';
import { listWaits } from './queries/listWaits.ts';
import { listWorkflows } from './queries/listWorkflows.ts';
import { readLogs } from './queries/readLogs.ts';
import { resolveWait } from './queries/resolveWait.ts';
import { setConcurrencyLimit } from './queries/setConcurrencyLimit.ts';
import { updateQueueSettings } from './queries/updateQueueSettings.ts';
import { updateRun } from './queries/updateRun.ts';
import { releaseLease, updateStep } from './queries/updateStep.ts';
import { upsertRunner } from './queries/upsertRunner.ts';
import { upsertSchedule } from './queries/upsertSchedule.ts';
import { upsertWorkflow } from './queries/upsertWorkflow.ts';
import { countRunsByStatus } from './queries/countRunsByStatus.ts';
import { countStepsByStatus } from './queries/countStepsByStatus.ts';
import { countQueuedSteps } from './queries/countQueuedSteps.ts';
import { countRunsByKey } from './queries/countRunsByKey.ts';
import { listConcurrencyLimits } from './queries/listConcurrencyLimits.ts';
import { listEventsFiltered } from './queries/listEventsFiltered.ts';
import { getEvent } from './queries/getEvent.ts';
import { insertExternalEvent } from './queries/insertExternalEvent.ts';
import { markEventProcessed } from './queries/markEventProcessed.ts';
import { countEventsByType } from './queries/countEventsByType.ts';
import { listPendingApprovalsPage } from './queries/listPendingApprovalsPage.ts';
import { listFinishedAttempts } from './queries/listFinishedAttempts.ts';
import { getTriggerSource } from './queries/getTriggerSource.ts';
import { hasUndispatchedEvents } from './queries/hasUndispatchedEvents.ts';
import { markEventsDispatched } from './queries/markEventsDispatched.ts';
import { setRunTriggerDepth } from './queries/setRunTriggerDepth.ts';
import { listLeasedAgentSteps } from './queries/listLeasedAgentSteps.ts';
import { getRoleInTx } from './queries/roles/getRoleInTx.ts';
import { getLastStepEventType } from './queries/getLastStepEventType.ts';
import { getIssue } from './queries/issues/getIssue.ts';
import { findIssueByGithubIssue } from './queries/issues/findIssueByGithubIssue.ts';
import { insertIssue } from './queries/issues/insertIssue.ts';
import { listIssueTree } from './queries/issues/listIssueTree.ts';
import { listRunIssues } from './queries/issues/listRunIssues.ts';
import { nextIssueNumber } from './queries/issues/nextIssueNumber.ts';
import { setIssuePositions } from './queries/issues/setIssuePositions.ts';
import { updateIssue } from './queries/issues/updateIssue.ts';
import { insertWebhookDelivery } from './queries/webhooks/insertWebhookDelivery.ts';
import { listRepositoryWorkspaces } from './queries/webhooks/listRepositoryWorkspaces.ts';
import { claimWebhookFollowup } from './queries/webhooks/claimWebhookFollowup.ts';
import { finishWebhookFollowup } from './queries/webhooks/finishWebhookFollowup.ts';
import { listPendingWebhookFollowups } from './queries/webhooks/listPendingWebhookFollowups.ts';
import { listWebhookDeliveries } from './queries/webhooks/listWebhookDeliveries.ts';
import { migrationsDone } from './migrations/migrations.ts';

type Db = Kysely<Database>;

/** The operations whose SQL differs per dialect (one folder per dialect, same files). */
export interface DialectOps {
  name: 'sqlite' | 'postgres';
  claimSteps(
    db: Db,
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
  ): ReturnType<StoreTx['claimSteps']>;
  lockKey(db: Db, key: string): Promise<void>;
  claimUndispatchedEvents(db: Db, limit: number): ReturnType<StoreTx['claimUndispatchedEvents']>;
}

/** Binds the named queries to one connection or transaction. */
function bindTx(db: Db, d: DialectOps, inTransaction = false): StoreTx {
  const lockRuns = inTransaction && d.name === 'postgres';
  return {
    afterCommit: (fn) => fn(),
    upsertWorkflow: (w) => upsertWorkflow(db, w),
    getWorkflow: (n) => getWorkflow(db, n),
    listWorkflows: () => listWorkflows(db),
    insertRun: (r) => insertRun(db, r),
    getRun: (id) => getRun(db, id, lockRuns),
    findRunsByIdPrefix: (p, l) => findRunsByIdPrefix(db, p, l),
    listRuns: (f) => listRuns(db, f),
    updateRun: (id, p, from) => updateRun(db, id, p, from),
    countActiveRunsByKey: (k) => countActiveRunsByKey(db, k),
    listQueuedRuns: (k, l) => listQueuedRuns(db, k, l),
    listChildRuns: (id) => listChildRuns(db, id),
    lock: (k) => d.lockKey(db, k),
    insertSteps: (s) => insertSteps(db, s),
    getStep: (id) => getStep(db, id),
    listSteps: (id) => listSteps(db, id),
    updateStep: (id, p, e) => updateStep(db, id, p, e),
    releaseLease: (f, n) => releaseLease(db, f, n),
    claimSteps: (o, n, l, lim) => d.claimSteps(db, o, n, l, lim),
    listExpiredLeases: (n, l) => listExpiredLeases(db, n, l),
    heartbeat: (o, ids, n, l) => heartbeat(db, o, ids, n, l),
    countLeasedSteps: (n) => countLeasedSteps(db, n),
    insertAttempts: (a) => insertAttempts(db, a),
    finishAttempt: (s, a, p) => finishAttempt(db, s, a, p),
    listAttempts: (r) => listAttempts(db, r),
    insertWait: (w) => insertWait(db, w),
    getPendingWait: (s) => getPendingWait(db, s),
    resolveWait: (id, p) => resolveWait(db, id, p),
    listDueWaits: (n, l) => listDueWaits(db, n, l),
    listPendingWaits: (k, l) => listPendingWaits(db, k, l),
    listWaits: (r) => listWaits(db, r),
    insertEvents: (e, n) => insertEvents(db, e, n),
    listEvents: (a, l, r) => listEvents(db, a, l, r),
    upsertSchedule: (s) => upsertSchedule(db, s),
    deleteSchedulesExcept: (w, k) => deleteSchedulesExcept(db, w, k),
    listDueSchedules: (n, l) => listDueSchedules(db, n, l),
    advanceSchedule: (id, e, n, l) => advanceSchedule(db, id, e, n, l),
    getIdempotencyKey: (s, k) => getIdempotencyKey(db, s, k),
    insertIdempotencyKey: (s, k, r, h, n) => insertIdempotencyKey(db, s, k, r, h, n),
    getQueueSettings: () => getQueueSettings(db),
    updateQueueSettings: (p) => updateQueueSettings(db, p),
    getConcurrencyLimit: (k) => getConcurrencyLimit(db, k),
    setConcurrencyLimit: (k, l, n) => setConcurrencyLimit(db, k, l, n),
    appendLogs: (c) => appendLogs(db, c),
    appendAgentEvents: (e) => appendAgentEvents(db, e),
    readAgentEvents: (s, a, after, l) => readAgentEvents(db, s, a, after, l),
    upsertAgentAttempt: (a) => upsertAgentAttempt(db, a),
    listAgentAttempts: (r, k) => listAgentAttempts(db, r, k),
    sumAgentSpend: (s) => sumAgentSpend(db, s),
    getWorkspaceBudget: (w) => getWorkspaceBudget(db, w),
    setWorkspaceBudget: (w, b) => setWorkspaceBudget(db, w, b),
    readLogs: (s, a, after, l) => readLogs(db, s, a, after, l),
    upsertRunner: (r) => upsertRunner(db, r),
    listRunners: () => listRunners(db),
    countRunsByStatus: () => countRunsByStatus(db),
    countStepsByStatus: () => countStepsByStatus(db),
    countQueuedSteps: () => countQueuedSteps(db),
    countRunsByKey: () => countRunsByKey(db),
    listConcurrencyLimits: () => listConcurrencyLimits(db),
    listEventsFiltered: (f) => listEventsFiltered(db, f),
    getEvent: (id) => getEvent(db, id),
    insertExternalEvent: (e, n) => insertExternalEvent(db, e, n),
    markEventProcessed: (id, n) => markEventProcessed(db, id, n),
    countEventsByType: (t) => countEventsByType(db, t),
    listPendingApprovalsPage: (b, l, w) => listPendingApprovalsPage(db, b, l, w),
    listFinishedAttempts: (a, l) => listFinishedAttempts(db, a, l),
    insertWebhookDelivery: (w) => insertWebhookDelivery(db, w),
    listWebhookDeliveries: (f) => listWebhookDeliveries(db, f),
    listRepositoryWorkspaces: (n) => listRepositoryWorkspaces(db, n),
    claimWebhookFollowup: (id, n, l) => claimWebhookFollowup(db, id, n, l),
    finishWebhookFollowup: (id, s, r) => finishWebhookFollowup(db, id, s, r),
    listPendingWebhookFollowups: (n, b, l) => listPendingWebhookFollowups(db, n, b, l),
    claimUndispatchedEvents: (l) => d.claimUndispatchedEvents(db, l),
    hasUndispatchedEvents: () => hasUndispatchedEvents(db),
    markEventsDispatched: (ids, c, n) => markEventsDispatched(db, ids, c, n),
    getTriggerSource: (id) => getTriggerSource(db, id),
    setRunTriggerDepth: (id, depth) => setRunTriggerDepth(db, id, depth),
    listLeasedAgentSteps: (n) => listLeasedAgentSteps(db, n),
    getStoredRole: (w, n) => getRoleInTx(db, w, n),
    getLastStepEventType: (r, s) => getLastStepEventType(db, r, s),
    insertIssue: (i) => insertIssue(db, i),
    getIssue: (id) => getIssue(db, id),
    findIssueByGithubIssue: (w, r, n) => findIssueByGithubIssue(db, w, r, n),
    listIssueTree: (root) => listIssueTree(db, root),
    listRunIssues: (run) => listRunIssues(db, run),
    updateIssue: (id, p) => updateIssue(db, id, p),
    setIssuePositions: (parent, ids, n) => setIssuePositions(db, parent, ids, n),
    nextIssueNumber: (w) => nextIssueNumber(db, w),
  };
}

/** The Store port over Kysely: SQLite (better-sqlite3) or PostgreSQL (pg). */
/**
 * The store, plus its Kysely instance for the adapters that keep their own tables in Baton's
 * database (the local forge): on SQLite they must share the one connection, whose driver
 * serializes transactions, instead of opening a second one that would contend for the write lock.
 */
export type KyselyStore = Store & { readonly db: Db };

export function createKyselyStore(
  db: Db,
  dialect: DialectOps,
  onClose: () => Promise<void>,
  schema?: string,
): KyselyStore {
  const ops = bindTx(db, dialect);
  const commitListeners = new Set<() => void>();
  return {
    db,
    onCommitted(listener) {
      commitListeners.add(listener);
      return () => commitListeners.delete(listener);
    },
    ...ops,
    dialect: dialect.name,
    async transaction(fn, signal) {
      signal?.throwIfAborted();
      const committed: Array<() => void> = [];
      const result = await db.transaction().execute(async (trx) => {
        // outbox events of the transaction go in one multi-row insert just before commit
        const buffered: Array<{ events: NewEvent[]; now: number }> = [];
        const tx: StoreTx = {
          ...bindTx(trx, dialect, true),
          insertEvents: async (events, now) => void buffered.push({ events, now }),
          afterCommit: (cb) => void committed.push(cb),
        };
        const result = await fn(tx);
        const rows = buffered.flatMap((b) => b.events.map((e) => ({ e, now: b.now })));
        if (rows.length) await insertEventRows(trx, rows);
        return result;
      });
      for (const cb of committed) cb();
      for (const listener of commitListeners) listener();
      return result;
    },
    async ping(signal) {
      signal?.throwIfAborted();
      try {
        await sql`select 1`.execute(db);
        return await migrationsDone(db as Kysely<unknown>, schema);
      } catch {
        return false;
      }
    },
    async close() {
      await db.destroy();
      await onClose();
    },
  };
}
