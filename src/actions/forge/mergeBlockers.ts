import type { CiState, Mergeability, PullRequest, Review } from '../../forges/Forge.ts';

/** Why a pull request may not be merged yet. */
export interface Blocker {
  reason: string;
  /** waiting cannot clear it (checks failed, changes requested at the head, conflicts, closed) */
  final: boolean;
}

/** Why a pull request may not be merged yet (empty: it may). */
export function mergeBlockers(
  pr: PullRequest,
  reviews: readonly Review[],
  ci: CiState | null,
  merge: Mergeability,
  require: { approval: boolean; checks: boolean },
): Blocker[] {
  const out: Blocker[] = [];
  if (pr.state !== 'open') out.push({ reason: `it is ${pr.state}`, final: true });
  if (pr.draft) out.push({ reason: 'it is a draft', final: false });
  if (require.approval) {
    // each reviewer's latest verdict counts; comments do not change a verdict
    const latest = new Map<string, Review>();
    for (const r of [...reviews].sort((a, b) => a.submittedAt - b.submittedAt)) {
      if (r.verdict !== 'comment') latest.set(r.author, r);
    }
    const verdicts = [...latest.values()];
    const blocking = verdicts.filter((r) => r.verdict === 'changes_requested');
    if (blocking.length) {
      // asked of the current head: only a new push and a new review clear it; of an older head,
      // the review of the new head may
      const atHead = blocking.some((r) => r.commitSha === pr.headSha);
      out.push({
        reason: `changes requested by ${blocking.map((r) => r.author).join(', ')}${atHead ? '' : ' (on an older head)'}`,
        final: atHead,
      });
    } else if (!verdicts.some((r) => r.verdict === 'approve' && r.commitSha === pr.headSha))
      out.push({ reason: `no approval of its head ${pr.headSha.slice(0, 12)}`, final: false });
  }
  if (require.checks && ci && ci.state !== 'success') {
    const failed = ci.checks.filter((c) => c.state === 'failure' || c.state === 'error').map((c) => c.name);
    out.push(
      ci.state === 'failure'
        ? { reason: `its checks failed${failed.length ? ` (${failed.join(', ')})` : ''}`, final: true }
        : { reason: `its checks are ${ci.state}`, final: false },
    );
  }
  if (merge.mergeable === false)
    out.push({
      reason: `it conflicts with its base${merge.conflicts.length ? ` in ${merge.conflicts.join(', ')}` : ''}`,
      final: true,
    });
  if (merge.mergeable === null && pr.state === 'open')
    out.push({ reason: 'its mergeability is not known yet', final: false });
  return out;
}

export const reasons = (bs: readonly Blocker[]): string => bs.map((b) => b.reason).join('; ');
