import type {
  CursorAgent,
  CursorAgentStatus,
  CursorMessage,
  CursorWebhookPayload,
} from '../runtimes/cursor/cursorTypes.ts';
import { signCursorWebhook } from '../runtimes/cursor/verifyCursorWebhook.ts';
import { startFakeApi, type FakeAnswer, type FakeApi, type FakeCall } from './fakeApiServer.ts';

export interface FakeCursorOptions {
  apiKey: string;
  /** the state advances on a poll only when this long passed since the last advance (default 0) */
  stepMs?: number;
  /** also advance every agent on a timer this often (for webhook runs that do not poll) */
  tickMs?: number;
  /** agents whose prompt contains this end in ERROR */
  errorMarker?: string;
  rateLimit?: { times: number; retryAfterSec: number };
}

type Stage = { status: CursorAgentStatus; say?: string };

interface FakeAgent {
  agent: CursorAgent;
  messages: CursorMessage[];
  stages: Stage[];
  lastAdvance: number;
  webhook?: { url: string; secret: string };
  stopped: boolean;
}

export interface FakeCursor extends FakeApi {
  agents: Map<string, FakeAgent>;
  /** webhooks sent: where, what, and the HTTP status the receiver answered (0: unreachable) */
  webhooks: { url: string; body: string; status: number }[];
  /** resolves once every webhook sent so far was answered */
  settled(): Promise<void>;
}

const stagesFor = (prompt: string, marker: string | undefined): Stage[] => [
  { status: 'RUNNING', say: `Working on: ${prompt.slice(0, 60)}` },
  { status: 'RUNNING', say: 'Changes pushed.' },
  { status: marker !== undefined && prompt.includes(marker) ? 'ERROR' : 'FINISHED' },
];

/** A stateful fake of the Cursor cloud agents API v0 on 127.0.0.1; each `GET /v0/agents/ID` advances the state. */
export async function startFakeCursor(o: FakeCursorOptions): Promise<FakeCursor> {
  const agents = new Map<string, FakeAgent>();
  const webhooks: FakeCursor['webhooks'] = [];
  const sending: Promise<void>[] = [];
  let next = 1;
  const auth = `Basic ${Buffer.from(`${o.apiKey}:`).toString('base64')}`;

  const say = (a: FakeAgent, type: CursorMessage['type'], text: string): void => {
    a.messages.push({ id: `msg_${a.messages.length + 1}`, type, text });
  };
  const sendWebhook = (a: FakeAgent): void => {
    if (!a.webhook) return;
    const { url, secret } = a.webhook;
    const payload: CursorWebhookPayload = {
      event: 'statusChange',
      timestamp: new Date().toISOString(),
      id: a.agent.id,
      status: a.agent.status,
      ...(a.agent.source ? { source: a.agent.source } : {}),
      ...(a.agent.target ? { target: a.agent.target } : {}),
      ...(a.agent.summary ? { summary: a.agent.summary } : {}),
    };
    const body = JSON.stringify(payload);
    const headers = {
      'content-type': 'application/json',
      'X-Webhook-Signature': signCursorWebhook(body, secret),
      'X-Webhook-ID': `wh_${a.agent.id}`,
      'X-Webhook-Event': 'statusChange',
      'User-Agent': 'Cursor-Agent-Webhook/1.0',
    };
    sending.push(
      fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) })
        .then((r) => void webhooks.push({ url, body, status: r.status }))
        .catch(() => void webhooks.push({ url, body, status: 0 })),
    );
  };
  const advance = (a: FakeAgent): void => {
    if (a.stopped || Date.now() - a.lastAdvance < (o.stepMs ?? 0)) return;
    const stage = a.stages.shift();
    if (stage === undefined) return;
    a.lastAdvance = Date.now();
    a.agent.status = stage.status;
    if (stage.say !== undefined) say(a, 'assistant_message', stage.say);
    if (stage.status === 'FINISHED') {
      a.agent.target = {
        ...a.agent.target,
        prUrl: `https://github.com/acme/demo/pull/${a.agent.id.slice(3)}`,
      };
      a.agent.summary = 'Done by the fake agent.';
    }
    if (stage.status === 'FINISHED' || stage.status === 'ERROR') sendWebhook(a);
  };

  const launch = (body: Record<string, unknown>): FakeAnswer => {
    const text = (body.prompt as { text?: unknown } | undefined)?.text;
    const repo = (body.source as { repository?: unknown; ref?: unknown } | undefined)?.repository;
    if (typeof text !== 'string' || typeof repo !== 'string') {
      return { status: 400, body: { error: 'prompt.text and source.repository are required' } };
    }
    const id = `bc_${next++}`;
    const target = (body.target ?? {}) as { branchName?: string; autoCreatePr?: boolean };
    const agent: CursorAgent = {
      id,
      name: text.slice(0, 40),
      status: 'CREATING',
      source: { repository: repo },
      target: {
        branchName: target.branchName ?? `cursor/${id}`,
        url: `https://cursor.com/agents?id=${id}`,
        autoCreatePr: target.autoCreatePr === true,
      },
      createdAt: new Date().toISOString(),
    };
    const webhook = body.webhook as { url: string; secret: string } | undefined;
    const a: FakeAgent = {
      agent,
      messages: [],
      stages: stagesFor(text, o.errorMarker),
      lastAdvance: 0,
      stopped: false,
      ...(webhook ? { webhook } : {}),
    };
    say(a, 'user_message', text);
    agents.set(id, a);
    return { status: 200, body: { id, status: 'CREATING' } };
  };

  const handle = (c: FakeCall): FakeAnswer => {
    if (c.headers.authorization !== auth)
      return { status: 401, body: { error: 'Unauthorized: invalid API key' } };
    if (c.method === 'POST' && c.path === '/v0/agents')
      return launch((c.body ?? {}) as Record<string, unknown>);
    const m = /^\/v0\/agents\/([^/]+)(?:\/(conversation|followup|stop))?$/.exec(c.path);
    const a = m?.[1] === undefined ? undefined : agents.get(m[1]);
    if (!m || !a) return { status: 404, body: { error: `not found: ${c.method} ${c.path}` } };
    const id = a.agent.id;
    if (c.method === 'GET' && m[2] === undefined) {
      advance(a);
      return { status: 200, body: a.agent };
    }
    if (c.method === 'GET' && m[2] === 'conversation')
      return { status: 200, body: { id, messages: a.messages } };
    if (c.method === 'POST' && m[2] === 'followup') {
      const text = (c.body as { prompt?: { text?: unknown } } | undefined)?.prompt?.text;
      if (typeof text !== 'string') return { status: 400, body: { error: 'prompt.text is required' } };
      say(a, 'user_message', text);
      a.agent.status = 'RUNNING';
      a.stages = [{ status: 'RUNNING', say: `Follow-up done: ${text.slice(0, 40)}` }, { status: 'FINISHED' }];
      return { status: 200, body: { id } };
    }
    if (c.method === 'POST' && m[2] === 'stop') {
      a.stopped = true;
      return { status: 200, body: { id } };
    }
    if (c.method === 'DELETE' && m[2] === undefined) {
      agents.delete(id);
      return { status: 200, body: { id } };
    }
    return { status: 404, body: { error: `not found: ${c.method} ${c.path}` } };
  };

  const api = await startFakeApi({ handle, ...(o.rateLimit ? { rateLimit: o.rateLimit } : {}) });
  const ticker = o.tickMs === undefined ? undefined : setInterval(() => agents.forEach(advance), o.tickMs);
  ticker?.unref();
  const close = async (): Promise<void> => {
    clearInterval(ticker);
    await api.close();
  };
  return { ...api, close, agents, webhooks, settled: async () => void (await Promise.all(sending)) };
}
