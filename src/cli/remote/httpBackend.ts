import { isBatonError } from '../../domain/errors.ts';
import type { LogChunkRecord } from '../../domain/records.ts';
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
} from '../backend/Backend.ts';
import type { RunDetailsView } from '../backend/runView.ts';
import { looksLikePath } from '../looksLikePath.ts';
import {
  chunkFromApi,
  detailsFromApi,
  queueFromApi,
  runFromApi,
  type ApiLogChunk,
  type ApiPage,
  type ApiQueue,
  type ApiRun,
  type ApiRunDetails,
} from './fromApi.ts';
import { seg, type HttpClient } from './httpClient.ts';
import { HttpWatch } from './httpWatch.ts';
import { listRemoteWorkflows } from './listRemoteWorkflows.ts';
import { ReconnectNotice } from './reconnectNotice.ts';
import { uploadWorkflowFile } from './uploadWorkflowFile.ts';

/** the API's largest page */
const PAGE = 500;

/** A Baton server's `/api/v1` (`--server` / BATON_SERVER). */
export class HttpBackend implements Backend {
  readonly remote = true;

  constructor(
    readonly http: HttpClient,
    private readonly note: (line: string) => void,
  ) {}

  get where(): string {
    return this.http.server;
  }

  async getRun(run: string, signal?: AbortSignal): Promise<RunDetailsView> {
    return detailsFromApi((await this.http.json<ApiRunDetails>('GET', `/runs/${seg(run)}`, { signal })).body);
  }

  async listRuns(q: RunListQuery, signal?: AbortSignal): Promise<RunPage> {
    const runs: RunPage['runs'] = [];
    let cursor = q.cursor;
    let next: string | null = null;
    do {
      const { body } = await this.http.json<ApiPage<ApiRun>>('GET', '/runs', {
        query: {
          status: q.status.length ? q.status.join(',') : undefined,
          workflow: q.workflow,
          cursor,
          limit: Math.min(PAGE, q.limit - runs.length),
        },
        signal,
      });
      runs.push(...body.items.map(runFromApi));
      next = body.next_cursor;
      cursor = next ?? undefined;
    } while (next && runs.length < q.limit);
    return { runs, nextCursor: next };
  }

  async readLogs(q: LogQuery, signal?: AbortSignal): Promise<LogChunkRecord[]> {
    const { body } = await this.http.json<{ items: ApiLogChunk[] }>(
      'GET',
      `/runs/${seg(q.runId)}/steps/${seg(q.stepKey)}/logs`,
      {
        query: {
          attempt: q.attempt,
          after_seq: q.afterSeq,
          limit: Math.min(q.limit, 1000),
          encoding: 'base64',
        },
        signal,
      },
    );
    return body.items.map((c) => chunkFromApi(c, q.stepId));
  }

  async changeRun(run: string, c: RunChange, signal?: AbortSignal): Promise<ChangedRun> {
    const headers = actorHeaders(c.by);
    const path = (() => {
      switch (c.action) {
        case 'cancel':
        case 'pause':
        case 'resume':
        case 'advance':
          return `/runs/${seg(run)}/${c.action}`;
        case 'retry':
        case 'approve':
        case 'reject':
          return `/runs/${seg(run)}/steps/${seg(c.step)}/${c.action}`;
      }
    })();
    const reason = 'reason' in c ? c.reason : undefined;
    const comment = 'comment' in c ? c.comment : undefined;
    const body = {
      ...(reason === undefined ? {} : { reason }),
      ...(comment === undefined ? {} : { comment }),
      ...(c.action === 'advance' && c.step !== undefined ? { step: c.step } : {}),
    };
    // the retry route takes no body: send one only to carry a reason
    const send = c.action !== 'retry' || Object.keys(body).length > 0;
    const res = await this.http.json<ApiRun>('POST', path, { ...(send ? { body } : {}), headers, signal });
    const changed = { run: runFromApi(res.body), live: true };
    if (c.action !== 'approve' && c.action !== 'reject') return changed;
    // the server records its caller (the token's user), not necessarily `by`: say whom
    const d = await this.getRun(changed.run.id, signal);
    const stepId = d.steps.find((s) => s.stepKey === c.step)?.id;
    const wait = d.waits.filter((w) => w.stepId === stepId && w.kind === 'approval' && w.decidedBy).at(-1);
    return { ...changed, decidedBy: wait?.decidedBy ?? undefined };
  }

  async uniqueRunPrefix(id: string, signal?: AbortSignal): Promise<string> {
    for (const len of [8, 13, 18, 23]) {
      const prefix = id.slice(0, len);
      try {
        const { body } = await this.http.json<ApiRunDetails>('GET', `/runs/${seg(prefix)}`, { signal });
        if (body.id === id) return prefix;
      } catch (e) {
        if (!isBatonError(e, 'invalid_input')) throw e; // several runs match: longer
      }
    }
    return id;
  }

  async startRun(req: StartRunRequest, signal?: AbortSignal): Promise<StartedRun> {
    const headers = actorHeaders(req.by);
    let name = req.workflow;
    const started: Pick<StartedRun, 'warnings' | 'notes'> = { warnings: [], notes: [] };
    if (looksLikePath(req.workflow, req.cwd)) {
      const up = await uploadWorkflowFile(this.http, req.workflow, req.cwd, headers, signal);
      name = up.name;
      started.warnings = up.warnings;
      started.notes.push(up.note);
    }
    const res = await this.http.json<ApiRun>('POST', `/workflows/${seg(name)}/runs`, {
      body: {
        inputs: req.inputs,
        ...(req.priority === undefined ? {} : { priority: req.priority }),
        dry_run: req.dryRun,
      },
      headers: {
        ...headers,
        ...(req.idempotencyKey === undefined ? {} : { 'idempotency-key': req.idempotencyKey }),
      },
      signal,
    });
    return { ...started, run: runFromApi(res.body), created: res.status === 201 };
  }

  listWorkflows(o: { withInputs: boolean }, signal?: AbortSignal): Promise<WorkflowView[]> {
    return listRemoteWorkflows(this.http, o.withInputs, signal);
  }

  async queueStatus(signal?: AbortSignal): Promise<QueueStatus> {
    const { body } = await this.http.json<ApiQueue>('GET', '/queue', { signal });
    return { settings: queueFromApi(body), runners: null };
  }

  async updateQueue(p: QueuePatch, by: string, signal?: AbortSignal) {
    const body = {
      ...(p.paused === undefined ? {} : { paused: p.paused }),
      ...(p.reason === undefined ? {} : { reason: p.reason }),
      ...(p.maxConcurrent === undefined ? {} : { max_concurrent: p.maxConcurrent }),
      ...(p.stopOnFailure === undefined ? {} : { stop_on_failure: p.stopOnFailure }),
    };
    const res = await this.http.json<ApiQueue>('PATCH', '/queue', {
      body,
      headers: actorHeaders(by),
      signal,
    });
    return queueFromApi(res.body);
  }

  async listKeyLimits(signal?: AbortSignal): Promise<KeyLimit[]> {
    const { body } = await this.http.json<ApiQueue & { keys?: Array<{ key: string; limit: number | null }> }>(
      'GET',
      '/queue',
      { signal },
    );
    return (body.keys ?? []).flatMap((k) => (k.limit === null ? [] : [{ key: k.key, limit: k.limit }]));
  }

  async setKeyLimit(key: string, limit: number | null, by: string, signal?: AbortSignal): Promise<void> {
    await this.http.json('PUT', `/queue/limits/${seg(key)}`, {
      body: { limit },
      headers: actorHeaders(by),
      signal,
    });
  }

  watchRun(runId: string, signal: AbortSignal): RunWatch {
    const notice = new ReconnectNotice(this.note, this.http.server);
    return new HttpWatch(this.http, runId, signal, notice, this.note);
  }
}

/** Who acts, until the server takes it from the token (header values are ASCII: others are %-encoded). */
function actorHeaders(by: string): Record<string, string> {
  return { 'x-baton-actor': /^[\x20-\x7e]+$/.test(by) ? by : encodeURIComponent(by) };
}
