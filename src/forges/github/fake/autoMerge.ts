import type { GithubService } from './service.ts';
import type { FakePull, FakeRepo, FakeUser, MergeMethod } from './state.ts';

/**
 * GitHub's auto-merge as the fake models it. A pull request with auto-merge enabled is merged by
 * the fake itself (as the user who enabled it, with the method they chose) as soon as what the
 * fake takes for branch protection holds: open and not a draft, approved (each reviewer's latest
 * approve/changes-requested verdict: at least one approval and no changes requested), the checks
 * of its head green (statuses and check runs, at least one, all passing) and no conflicts.
 * Checked after every write request and push (`sweepAutoMerge`).
 */

/** Sets (or, with `method` null, clears) the auto-merge request of a pull request. */
export function setAutoMerge(p: FakePull, method: MergeMethod | null, by: FakeUser): void {
  p.autoMerge =
    method === null
      ? null
      : {
          enabledBy: by,
          mergeMethod: method,
          commitTitle:
            method === 'merge' ? `Merge pull request #${p.number}` : `${p.issue.title} (#${p.number})`,
          commitMessage: p.issue.body ?? '',
        };
}

/** Whether a pull request's reviews approve it (latest verdict per reviewer). */
export function approved(r: FakeRepo, p: FakePull): boolean {
  const latest = new Map<number, string>();
  for (const v of r.reviews) {
    if (v.pullNumber !== p.number) continue;
    if (v.state === 'APPROVED' || v.state === 'CHANGES_REQUESTED' || v.state === 'DISMISSED')
      latest.set(v.user.id, v.state);
  }
  const states = [...latest.values()];
  return states.includes('APPROVED') && !states.includes('CHANGES_REQUESTED');
}

/** Whether the pull request could be merged now by the fake's rules (its "clean status"). */
export async function mergeRulesHold(svc: GithubService, r: FakeRepo, p: FakePull): Promise<boolean> {
  if (p.issue.state !== 'open' || p.merged || p.draft) return false;
  await svc.refreshPull(r, p);
  if (!approved(r, p) || svc.checksState(r, p.headSha) !== 'passing') return false;
  return (await svc.git.mergeTree(r.gitDir, p.baseSha, p.headSha)).clean;
}

const sweeps = new WeakMap<GithubService, Promise<void>>();

/** Merges every pull request of `r` whose auto-merge is enabled and whose rules hold (one sweep at a time). */
export function sweepAutoMerge(svc: GithubService, r: FakeRepo): Promise<void> {
  const run = async (): Promise<void> => {
    for (const p of svc.pulls(r)) {
      const auto = p.autoMerge;
      if (!auto || !(await mergeRulesHold(svc, r, p))) continue;
      await svc.merge(r, p, auto.enabledBy, {
        method: auto.mergeMethod,
        title: auto.commitTitle,
        message: auto.commitMessage,
      });
    }
  };
  const next = (sweeps.get(svc) ?? Promise.resolve()).then(run, run);
  sweeps.set(svc, next);
  return next;
}
