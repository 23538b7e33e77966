import { assertExhaustive } from '../../../domain/assertExhaustive.ts';
import { isBatonError } from '../../../domain/errors.ts';
import type { Logger } from '../../../engine/engineDeps.ts';
import type { Store } from '../../../engine/ports/store.ts';
import { applyIssueSync } from './applyIssueSync.ts';
import { applySlashCommand } from './applySlashCommand.ts';
import type { GithubFollowup } from './githubFollowup.ts';

export interface FollowupDeps {
  store: Pick<
    Store,
    | 'claimWebhookFollowup'
    | 'finishWebhookFollowup'
    | 'listPendingWebhookFollowups'
    | 'getEvent'
    | 'listRepositoryWorkspaces'
  >;
  engine: Parameters<typeof applySlashCommand>[0] & Parameters<typeof applyIssueSync>[0];
  logger: Logger;
  now?: () => number;
  /** how long a taker holds a follow-up before another may take it over (default 60 s) */
  leaseMs?: number;
}

/**
 * Carries out the follow-up of an accepted delivery (row `id`) under a lease: of the request that
 * received it and the sweep, one takes it; done or failed, it is finished once. A transient error
 * (the database busy) leaves it pending: the sweep takes it again once the lease has expired.
 */
export async function carryOutFollowup(deps: FollowupDeps, id: number, f: GithubFollowup): Promise<void> {
  const now = deps.now ?? Date.now;
  if (!(await deps.store.claimWebhookFollowup(id, now(), deps.leaseMs ?? 60_000))) return;
  try {
    const done = await apply(deps, f);
    await deps.store.finishWebhookFollowup(id, 'done', done);
    deps.logger.info({ delivery: id, followup: f, done }, 'github follow-up');
  } catch (e) {
    if (isBatonError(e) && e.retryable) {
      deps.logger.warn({ delivery: id, followup: f, err: e.message }, 'github follow-up postponed');
      return;
    }
    const reason = e instanceof Error ? e.message : String(e);
    await deps.store.finishWebhookFollowup(id, 'failed', reason);
    deps.logger.warn({ delivery: id, followup: f, err: reason }, 'github follow-up refused');
  }
}

function apply(deps: FollowupDeps, f: GithubFollowup): Promise<string> {
  switch (f.kind) {
    case 'slash':
      return applySlashCommand(deps.engine, f.command);
    case 'issue':
      return applyIssueSync(deps.engine, (r) => deps.store.listRepositoryWorkspaces(r), f.command);
    default:
      return assertExhaustive(f);
  }
}
