import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createModelServer, type ModelServer } from '../../src/agents/modelServer/createModelServer.ts';
import {
  checkScenarioSet,
  parseScenarios,
  validateScenarios,
} from '../../src/agents/modelServer/parseScenarios.ts';
import type { RecordedRequest } from '../../src/agents/modelServer/RecordedRequest.ts';
import type { Scenario } from '../../src/agents/modelServer/scenarioSchema.ts';

export type { ModelServer, RecordedRequest };

export interface StartModelServerOptions {
  /** scenarios as objects (the YAML shape) or YAML text */
  scenarios: readonly (string | Record<string, unknown>)[];
  /** when set, requests must carry it */
  apiKey?: string;
  signal?: AbortSignal;
}

/** Starts the scripted model server on 127.0.0.1 (free port) for a test; `close()` it in afterAll/finally. */
export async function startModelServer(opts: StartModelServerOptions): Promise<ModelServer> {
  const scenarios: Scenario[] = opts.scenarios.flatMap((s, i) =>
    typeof s === 'string' ? parseScenarios(s, `scenario #${i}`) : validateScenarios(s, `scenario #${i}`),
  );
  checkScenarioSet(scenarios);
  return createModelServer({
    scenarios,
    ...(opts.apiKey === undefined ? {} : { apiKey: opts.apiKey }),
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
  });
}

/** The model requests (not preconnects, token counts or blocked ones) a scenario answered. */
export function modelRequests(server: ModelServer, scenario?: string): RecordedRequest[] {
  return server.requests.filter(
    (r) =>
      r.body !== undefined &&
      r.outcome !== 'count_tokens' &&
      (scenario === undefined || r.scenario === scenario),
  );
}

export interface ParsedSse {
  event: string | undefined;
  data: unknown;
}

/** Splits an SSE body into events, JSON-decoding `data` when it parses. */
export function parseSse(text: string): ParsedSse[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      const raw = data.join('\n');
      try {
        return { event, data: JSON.parse(raw) as unknown };
      } catch {
        return { event, data: raw };
      }
    });
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout lines that parse as JSON objects */
  events: Record<string, unknown>[];
  pid: number;
  timedOut: boolean;
  /** live processes the CLI left in its group when it exited (killed since) */
  leftovers: number;
  ms: number;
}

export interface RunCliOptions {
  bin: string;
  args: string[];
  cwd: string;
  /** the whole environment of the child (nothing is inherited) */
  env: Record<string, string>;
  /** hard limit; the process group is killed with SIGKILL when it is reached */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The states of the processes in group `pgid`, from /proc (Linux). */
function groupStates(pgid: number): string[] {
  const states: string[] = [];
  for (const d of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== undefined) states.push(state);
  }
  return states;
}

/** Whether a live process (not a zombie waiting for init to reap it) is left in group `pgid`. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!existsSync('/proc')) return true;
  return groupStates(pgid).some((s) => s !== 'Z');
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs a CLI in its own process group with stdin closed (`ignore`): claude and codex wait for
 * input on an open pipe. On timeout or abort the whole group is killed; after the CLI exits,
 * any helper it left in its group is killed too.
 */
export async function runAgentCli(o: RunCliOptions): Promise<CliRun> {
  const { spawn } = await import('node:child_process');
  const started = Date.now();
  const child = spawn(o.bin, o.args, {
    cwd: o.cwd,
    env: o.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${o.bin}: is it installed (npm ci)?`);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(pid);
  }, o.timeoutMs);
  const onAbort = () => killGroup(pid);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  o.signal?.removeEventListener('abort', onAbort);
  const leftovers = existsSync('/proc') ? groupStates(pid).filter((s) => s !== 'Z').length : 0;
  killGroup(pid);
  // stdout is complete once every holder of the pipes is gone
  await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
  for (let i = 0; i < 50 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  const events = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return { code, signal, stdout, stderr, events, pid, timedOut, leftovers, ms: Date.now() - started };
}
