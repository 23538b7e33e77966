import type { JulesActivity, JulesSession, JulesSource } from '../runtimes/jules/julesTypes.ts';
import { startFakeApi, type FakeAnswer, type FakeApi, type FakeCall } from './fakeApiServer.ts';
import { DEFAULT_SCRIPT, julesStages, type FakeJulesScript, type Stage } from './julesStages.ts';

export type { FakeJulesScript } from './julesStages.ts';

export interface FakeJulesOptions {
  apiKey: string;
  sources?: JulesSource[];
  /** per session, from its prompt (e.g. a marker in it) */
  script?: (prompt: string) => Partial<FakeJulesScript>;
  /** at most this many activities per page (default 2, to exercise paging) */
  maxPageSize?: number;
  /** the state advances on a poll only when this long passed since the last advance (default 0) */
  stepMs?: number;
  rateLimit?: { times: number; retryAfterSec: number };
}

interface FakeSession {
  session: JulesSession;
  activities: JulesActivity[];
  stages: Stage[];
  waiting: boolean;
  lastAdvance: number;
  automation: boolean;
}

export interface FakeJules extends FakeApi {
  /** `${url}/v1alpha` */
  baseUrl: string;
  sessions: Map<string, FakeSession>;
}

const googleError = (code: number, status: string, message: string): FakeAnswer => ({
  status: code,
  body: { error: { code, message, status } },
});

const DEFAULT_SOURCES: JulesSource[] = [
  {
    name: 'sources/github-acme-demo',
    id: 'github-acme-demo',
    githubRepo: { owner: 'acme', repo: 'demo', defaultBranch: 'main' },
  },
];

/** A stateful fake of the Jules REST API v1alpha on 127.0.0.1; each `GET /sessions/ID` advances the state. */
export async function startFakeJules(o: FakeJulesOptions): Promise<FakeJules> {
  const sessions = new Map<string, FakeSession>();
  let next = 1;
  const sources = o.sources ?? DEFAULT_SOURCES;

  const addActivity = (s: FakeSession, body: Stage['activity']): void => {
    const id = `act${s.activities.length + 1}`;
    s.activities.push({
      name: `${s.session.name}/activities/${id}`,
      id,
      createTime: new Date().toISOString(),
      ...body,
    });
  };
  const advance = (s: FakeSession): void => {
    if (s.waiting || Date.now() - s.lastAdvance < (o.stepMs ?? 0)) return;
    const stage = s.stages.shift();
    if (stage === undefined) return;
    s.lastAdvance = Date.now();
    s.session.state = stage.state;
    if (stage.activity) addActivity(s, stage.activity);
    s.waiting = stage.awaitApproval === true;
    if (stage.complete && s.automation) {
      const n = s.session.id;
      s.session.outputs = [
        {
          pullRequest: {
            url: `https://github.com/acme/demo/pull/${n}`,
            title: s.session.title ?? 'Jules change',
            description: 'by the fake',
          },
        },
      ];
    }
  };

  const create = (body: Record<string, unknown>): FakeAnswer => {
    const ctx = body.sourceContext as
      { source?: string; githubRepoContext?: { startingBranch?: string } } | undefined;
    if (typeof body.prompt !== 'string' || body.prompt === '')
      return googleError(400, 'INVALID_ARGUMENT', 'prompt is required');
    if (!sources.some((s) => s.name === ctx?.source))
      return googleError(404, 'NOT_FOUND', `source ${String(ctx?.source)} not found`);
    const id = String(next++);
    const script = { ...DEFAULT_SCRIPT, ...o.script?.(body.prompt) };
    const title = typeof body.title === 'string' ? body.title : body.prompt.slice(0, 40);
    const session: JulesSession = {
      name: `sessions/${id}`,
      id,
      title,
      prompt: body.prompt,
      state: 'QUEUED',
      url: `https://jules.google.com/session/${id}`,
    };
    const s: FakeSession = {
      session,
      activities: [],
      stages: julesStages(script, body.requirePlanApproval === true),
      waiting: false,
      lastAdvance: 0,
      automation: body.automationMode === 'AUTO_CREATE_PR',
    };
    sessions.set(id, s);
    return { status: 200, body: session };
  };

  const handle = (c: FakeCall): FakeAnswer => {
    if (c.headers['x-goog-api-key'] !== o.apiKey) {
      return googleError(401, 'UNAUTHENTICATED', 'API key not valid. Please pass a valid API key.');
    }
    const path = c.path.replace(/^\/v1alpha/, '');
    if (c.method === 'GET' && path === '/sources') return { status: 200, body: { sources } };
    if (c.method === 'POST' && path === '/sessions') return create((c.body ?? {}) as Record<string, unknown>);
    const m = /^\/sessions\/([^/:]+)(?::(approvePlan|sendMessage)|\/(activities))?$/.exec(path);
    const s = m?.[1] === undefined ? undefined : sessions.get(m[1]);
    if (!m || !s) return googleError(404, 'NOT_FOUND', `not found: ${c.method} ${c.path}`);
    if (c.method === 'GET' && m[3] === 'activities') {
      const size = Math.min(Number(c.query.get('pageSize') ?? 50) || 50, o.maxPageSize ?? 2);
      const start = Number(c.query.get('pageToken') ?? 0);
      const end = start + size;
      const more = end < s.activities.length;
      return {
        status: 200,
        body: { activities: s.activities.slice(start, end), ...(more ? { nextPageToken: String(end) } : {}) },
      };
    }
    if (c.method === 'GET' && m[2] === undefined) {
      advance(s);
      return { status: 200, body: s.session };
    }
    if (c.method === 'POST' && m[2] === 'approvePlan') {
      if (!s.waiting)
        return googleError(
          400,
          'FAILED_PRECONDITION',
          `session ${s.session.id} is not awaiting plan approval`,
        );
      s.waiting = false;
      s.session.state = 'IN_PROGRESS';
      addActivity(s, { originator: 'user', planApproved: { planId: 'plan-1' } });
      return { status: 200, body: {} };
    }
    if (c.method === 'POST' && m[2] === 'sendMessage') {
      const prompt = (c.body as { prompt?: unknown } | undefined)?.prompt;
      if (typeof prompt !== 'string') return googleError(400, 'INVALID_ARGUMENT', 'prompt is required');
      addActivity(s, { originator: 'user', userMessaged: { userMessage: prompt } });
      return { status: 200, body: {} };
    }
    return googleError(404, 'NOT_FOUND', `not found: ${c.method} ${c.path}`);
  };

  const api = await startFakeApi({ handle, ...(o.rateLimit ? { rateLimit: o.rateLimit } : {}) });
  return { ...api, baseUrl: `${api.url}/v1alpha`, sessions };
}
