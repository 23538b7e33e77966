import type { LeasedAgentStep } from '../../engine/ports/store.ts';
import type { StepExecSpec } from '../../domain/records.ts';
import { fromJson } from '../mappers.ts';
import type { Db } from './db.ts';

/**
 * `agent:` steps holding a live lease, with what their concurrency pools are derived from (the
 * spec's runtime, role and workspace). The spec is read as JSON in TypeScript: the same on both
 * dialects, over the `steps_leased` partial index.
 */
export async function listLeasedAgentSteps(db: Db, now: number): Promise<LeasedAgentStep[]> {
  const rows = await db
    .selectFrom('steps')
    .select(['id', 'spec'])
    .where('status', '=', 'running')
    .where('lease_expires_at', '>=', now)
    .where('kind', '=', 'agent')
    .execute();
  return rows.map((r) => {
    const agent = fromJson<StepExecSpec | null>(r.spec)?.agent;
    return {
      id: r.id,
      workspaceId: agent?.workspaceId ?? null,
      role: agent?.role ?? null,
      runtime: agent?.runtime ?? null,
    };
  });
}
