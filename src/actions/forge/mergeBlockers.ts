import type { CiState, Mergeability, PullRequest, Review } from '../../forges/Forge.ts';

/** Why a pull request may not be merged yet (empty: it may). */
export function mergeBlockers(
  pr: PullRequest,
  reviews: readonly Review[],
  ci: CiState | null,
  merge: Mergeability,
  require: { approval: boolean; checks: boolean },
): string[] {
  const out: string[] = [];
  if (pr.state !== 'open') out.push(`it is ${pr.state}`);
  if (pr.draft) out.push('it is a draft');
  if (require.approval) {
    // each reviewer's latest verdict counts; comments do not change a verdict
    const latest = new Map<string, Review>();
    for (const r of [...reviews].sort((a, b) => a.submittedAt - b.submittedAt)) {
      if (r.verdict !== 'comment') latest.set(r.author, r);
    }
    const verdicts = [...latest.values()];
    const blocking = verdicts.filter((r) => r.verdict === 'changes_requested').map((r) => r.author);
    if (blocking.length) out.push(`changes requested by ${blocking.join(', ')}`);
    else if (!verdicts.some((r) => r.verdict === 'approve' && r.commitSha === pr.headSha))
      out.push(`no approval of its head ${pr.headSha.slice(0, 12)}`);
  }
  if (require.checks && ci && ci.state !== 'success') out.push(`its checks are ${ci.state}`);
  if (merge.mergeable === false)
    out.push(
      `it conflicts with its base${merge.conflicts.length ? ` in ${merge.conflicts.join(', ')}` : ''}`,
    );
  if (merge.mergeable === null) out.push('its mergeability is not known yet');
  return out;
}
