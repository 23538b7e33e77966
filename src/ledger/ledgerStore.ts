import type { LedgerDb } from '../store/queries/ledger/ledgerSchema.ts';
import { advanceLedgerCursor } from '../store/queries/ledger/advanceLedgerCursor.ts';
import { claimNotification } from '../store/queries/ledger/claimNotification.ts';
import { finishNotification } from '../store/queries/ledger/finishNotification.ts';
import { getLedgerCursor } from '../store/queries/ledger/getLedgerCursor.ts';
import { getTask } from '../store/queries/ledger/getTask.ts';
import { getTasksByStepIds } from '../store/queries/ledger/getTasksByStepIds.ts';
import { insertTask } from '../store/queries/ledger/insertTask.ts';
import { listNotifiableTasks } from '../store/queries/ledger/listNotifiableTasks.ts';
import { listTasks } from '../store/queries/ledger/listTasks.ts';
import { pageTasks } from '../store/queries/ledger/pageTasks.ts';
import { readLogTail } from '../store/queries/ledger/readLogTail.ts';
import { updateTask } from '../store/queries/ledger/updateTask.ts';
import { upsertStepTasks } from '../store/queries/ledger/upsertStepTasks.ts';
import type { LedgerTask, TaskFilter, TaskKey } from './ledgerTypes.ts';

/** The ledger's own store port: one named operation per method (the engine's Store is untouched). */
export interface LedgerTx {
  insertTask(t: LedgerTask): Promise<void>;
  /** inside a transaction on PostgreSQL the row stays locked until commit */
  getTask(id: string): Promise<LedgerTask | undefined>;
  updateTask(id: string, patch: Partial<LedgerTask>, expectUpdatedAt: number): Promise<boolean>;
  listTasks(filter: TaskFilter, limit: number): Promise<LedgerTask[]>;
  pageTasks(filter: TaskFilter, after: TaskKey | undefined, limit: number): Promise<LedgerTask[]>;
  getTasksByStepIds(stepIds: string[]): Promise<LedgerTask[]>;
  /** one statement: atomic on its own (the projector's writes on SQLite need nothing more) */
  upsertStepTasks(t: LedgerTask[], resetNotification: boolean): Promise<void>;
  getCursor(name: string): Promise<number>;
  advanceCursor(name: string, from: number, to: number, now: number): Promise<boolean>;
  listNotifiable(now: number, limit: number): Promise<LedgerTask[]>;
  claimNotification(id: string, now: number, until: number): Promise<boolean>;
  finishNotification(
    id: string,
    claimedUntil: number,
    notifiedAt: number | null,
    error: string | null,
  ): Promise<void>;
  readLogTail(stepId: string, chunks: number): Promise<Buffer[]>;
}

export interface LedgerStore extends LedgerTx {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * PostgreSQL: runs `fn` in one transaction. SQLite: runs `fn` with autocommit statements — the
   * ledger's own connection must never hold the write lock across an await (the engine's
   * connection, in the same process, would block the event loop in its busy handler). Callers
   * stay correct without the transaction: compare-and-set writes and idempotent upserts.
   */
  transaction<T>(fn: (tx: LedgerTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function bindLedgerTx(db: LedgerDb, inTransaction: boolean, dialect: 'sqlite' | 'postgres'): LedgerTx {
  const lock = inTransaction && dialect === 'postgres';
  return {
    insertTask: (t) => insertTask(db, t),
    getTask: (id) => getTask(db, id, lock),
    updateTask: (id, p, e) => updateTask(db, id, p, e),
    listTasks: (f, l) => listTasks(db, f, l),
    pageTasks: (f, a, l) => pageTasks(db, f, a, l),
    getTasksByStepIds: (ids) => getTasksByStepIds(db, ids),
    upsertStepTasks: (t, r) => upsertStepTasks(db, t, r),
    getCursor: (n) => getLedgerCursor(db, n),
    advanceCursor: (n, f, t, now) => advanceLedgerCursor(db, n, f, t, now),
    listNotifiable: (now, l) => listNotifiableTasks(db, now, l),
    claimNotification: (id, now, u) => claimNotification(db, id, now, u),
    finishNotification: (id, c, n, e) => finishNotification(db, id, c, n, e),
    readLogTail: (s, c) => readLogTail(db, s, c),
  };
}
