import { CHECK_CONCLUSION } from '../githubJson.ts';

/** A forge-neutral event (the local forge emits the same types): what `wait: { event: pr.merged }` waits for. */
export interface NeutralEvent {
  type: string;
  payload: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const VERDICTS: Record<string, { verdict: string; also?: string }> = {
  approved: { verdict: 'approve', also: 'pr.approved' },
  changes_requested: { verdict: 'changes_requested', also: 'pr.changes_requested' },
  commented: { verdict: 'comment' },
};

/**
 * The forge-neutral events of a GitHub delivery, shaped like the local forge's (`pr.opened`,
 * `pr.merged`, `pr.review_submitted`, `pr.approved`, `pr.changes_requested`, `pr.commented`,
 * `pr.closed`, `pr.synchronized`, `checks.completed`), with `forge: 'github'`, `repository`
 * (owner/name), `number`, `url`, `head`, `base`: one workflow handles both forges.
 */
export function neutralForgeEvents(event: string, body: Obj): NeutralEvent[] {
  const action = str(body['action']);
  const repository = str(obj(body['repository'])?.['full_name']);
  const base = { forge: 'github', repository };
  const prPayload = (pr: Obj | undefined, extra: Obj = {}): Obj => ({
    ...base,
    number: pr?.['number'],
    url: pr?.['html_url'],
    title: pr?.['title'],
    head: str(obj(pr?.['head'])?.['ref']),
    base: str(obj(pr?.['base'])?.['ref']),
    head_sha: str(obj(pr?.['head'])?.['sha']),
    ...extra,
  });
  const pr = obj(body['pull_request']);
  switch (event) {
    case 'pull_request':
      if (action === 'opened' || action === 'reopened')
        return [{ type: 'pr.opened', payload: prPayload(pr) }];
      if (action === 'synchronize') return [{ type: 'pr.synchronized', payload: prPayload(pr) }];
      if (action === 'closed') {
        return pr?.['merged'] === true
          ? [{ type: 'pr.merged', payload: prPayload(pr, { sha: pr['merge_commit_sha'] }) }]
          : [{ type: 'pr.closed', payload: prPayload(pr) }];
      }
      return [];
    case 'pull_request_review': {
      const review = obj(body['review']);
      const v = VERDICTS[String(review?.['state']).toLowerCase()];
      if (action !== 'submitted' || !v) return [];
      const payload = prPayload(pr, {
        verdict: v.verdict,
        author: str(obj(review?.['user'])?.['login']),
        body: review?.['body'] ?? '',
        commit: review?.['commit_id'],
      });
      return [{ type: 'pr.review_submitted', payload }, ...(v.also ? [{ type: v.also, payload }] : [])];
    }
    case 'issue_comment': {
      const issue = obj(body['issue']);
      if (action !== 'created' || !obj(issue?.['pull_request'])) return [];
      const comment = obj(body['comment']);
      return [
        {
          type: 'pr.commented',
          payload: {
            ...base,
            number: issue?.['number'],
            url: issue?.['html_url'],
            author: str(obj(comment?.['user'])?.['login']),
            body: comment?.['body'],
          },
        },
      ];
    }
    case 'check_suite': {
      const suite = obj(body['check_suite']);
      const state = CHECK_CONCLUSION[String(suite?.['conclusion'])];
      if (action !== 'completed' || !state) return [];
      const prs = Array.isArray(suite?.['pull_requests']) ? (suite['pull_requests'] as unknown[]) : [];
      return [
        {
          type: 'checks.completed',
          payload: {
            ...base,
            sha: suite?.['head_sha'],
            state,
            numbers: prs.map((p) => obj(p)?.['number']).filter((n) => typeof n === 'number'),
          },
        },
      ];
    }
    default:
      return [];
  }
}
