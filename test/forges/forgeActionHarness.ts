import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionExecutor } from '../../src/actions/ActionExecutor.ts';
import { repoResolver } from '../../src/actions/repoResolver.ts';
import type { Repository } from '../../src/accounts/accountTypes.ts';
import type { Config } from '../../src/config/configSchema.ts';
import type { RunDetails } from '../../src/engine/engine.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import type { StepExecutor } from '../../src/engine/ports/stepExecutor.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import type { Forge } from '../../src/forges/Forge.ts';
import { RepoMirror } from '../../src/forges/git/repoMirror.ts';
import { Worktrees } from '../../src/forges/git/worktrees.ts';
import { createLocalForgeStore } from '../../src/forges/local/createLocalForgeStore.ts';
import { createLocalForge } from '../../src/forges/local/localForge.ts';
import type { LocalForge } from '../../src/forges/local/localForgeTypes.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { routeExecutor } from '../../src/runners/agent/routeExecutor.ts';
import { LocalExecutor } from '../../src/runners/local/localExecutor.ts';
import type { KyselyStore } from '../../src/store/kyselyStore.ts';
import { testConfig } from '../api/apiHarness.ts';
import { bareOrigin } from '../helpers/bareOrigin.ts';
import type { GithubFixture } from './githubForgeFixture.ts';

/** A scripted fault of one forge method: `before` runs first (e.g. moves a branch), then it throws (or, without `error`, the call goes through). */
export interface Fault {
  error?: Error;
  /** how many calls fail (default 1) */
  times?: number;
  before?: () => Promise<void>;
}

/** A run that ended: its details, and a step's whole log (every attempt). */
export interface Finished {
  d: RunDetails;
  log: (step: string) => Promise<string>;
}

/**
 * Baton (SQLite, a real runner for `run:` steps) whose `uses:` steps run against a local forge over
 * its own database (`acme/demo`: the bare repository `origin`) and, when a fake GitHub fixture is
 * given, its forge (`acme/app`), both behind a proxy that can fail a method a given number of times.
 */
export interface ForgeActionHarness {
  app: BatonApp;
  dir: string;
  /** the bare repository of `acme/demo` (main: README.md, plus the extra branches asked for) */
  origin: string;
  /** a checkout of origin (Baton's working directory) */
  seed: string;
  local: LocalForge;
  fail(method: keyof Forge, f: Fault): void;
  /** starts a workflow: the run's id, and a wait for its end (details, and a step's whole log) */
  start(
    yaml: string,
    inputs?: Record<string, unknown>,
  ): Promise<{ runId: string; done: () => Promise<Finished> }>;
  /** resolves once a step of the run is running and its log contains `text` */
  waitForLog(runId: string, step: string, text: string | RegExp): Promise<void>;
  /** runs a workflow to its end; its details, and a step's whole log */
  run(yaml: string, inputs?: Record<string, unknown>): Promise<Finished>;
  close(): Promise<void>;
}

const repository = (name: string, url: string): Repository => ({
  id: name,
  workspaceId: 'default',
  projectId: null,
  name,
  url,
  defaultBranch: 'main',
  createdAt: 0,
  updatedAt: 0,
});

export async function forgeActionHarness(
  o: { github?: GithubFixture; branches?: string[]; config?: Partial<Config> } = {},
): Promise<ForgeActionHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-forge-actions-'));
  const { origin, seed } = bareOrigin(dir, o.branches ?? []);
  const config: Config = { ...testConfig(join(dir, 'data')), ...o.config };
  const actions: { current?: StepExecutor } = {};
  const executor = routeExecutor(
    new LocalExecutor({ killGraceMs: config.killGraceMs }),
    { execute: () => Promise.reject(new Error('no agents in this harness')) },
    { execute: (job, sink, signal) => actions.current!.execute(job, sink, signal) },
  );
  const app = await openBaton(config, { logger: silentLogger, runner: true, executor, cwd: seed });
  const local = createLocalForge({
    store: createLocalForgeStore((app.store as KyselyStore).db),
    events: {
      async emit(type, payload) {
        await app.store.insertExternalEvent({ type, payload, workspaceId: 'default' }, Date.now());
        app.engine.pokeTriggers();
      },
    },
    tmpDir: join(dir, 'tmp'),
  });
  const faults = new Map<string, Fault[]>();
  const faulty = <F extends Forge>(forge: F): F =>
    new Proxy(forge, {
      get(target, prop, receiver) {
        const v: unknown = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          const list = faults.get(String(prop)) ?? [];
          const f = list[0];
          if (f) {
            if ((f.times = (f.times ?? 1) - 1) <= 0) list.shift();
            await f.before?.();
            if (f.error) throw f.error;
          }
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const github = o.github?.forge();
  const mirrors = new Map<string, RepoMirror>();
  actions.current = new ActionExecutor({
    repos: repoResolver({
      findRepositories: async (ref) =>
        ref === 'acme/demo'
          ? [repository('acme/demo', origin)]
          : ref === 'acme/app' && github
            ? [repository('acme/app', 'https://github.com/acme/app')]
            : [],
      local: faulty(local),
      ...(github ? { github: faulty(github) } : {}),
    }),
    mirrors: async (repo, signal) => {
      const remote = await repo.forge.remote(repo.ref, signal);
      const key = `${repo.forge.kind}:${repo.name}`;
      let mirror = mirrors.get(key);
      if (!mirror)
        mirrors.set(
          key,
          (mirror = new RepoMirror({ dataDir: config.dataDir, credentials: remote.credentials })),
        );
      return { mirror, dir: (await mirror.ensure({ name: repo.name, url: remote.url }, signal)).dir };
    },
    worktrees: new Worktrees({ dataDir: config.dataDir }),
    getRun: (id) => app.store.getRun(id),
  });
  await app.engine.start();
  let n = 0;
  const logOf = async (runId: string, step: string) =>
    (await app.engine.readLogs(runId, step, null, -1, 10_000)).map((c) => c.data.toString()).join('');
  const h: ForgeActionHarness = {
    app,
    dir,
    origin,
    seed,
    local,
    fail(method, f) {
      faults.set(method, [...(faults.get(method) ?? []), f]);
    },
    async start(yaml, inputs = {}) {
      const name = `flow-${++n}`;
      const source = yaml.replace(/^name: .*$/m, `name: ${name}`);
      const parsed = parseWorkflow(source);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      await app.engine.registerWorkflow(parsed.workflow, { source, origin: 'api', baseDir: dir });
      const { run } = await app.engine.createRun({ workflow: name, inputs });
      const done = async () => {
        await app.engine.waitForRun(run.id, { signal: AbortSignal.timeout(90_000) });
        const d = await app.engine.getRun(run.id);
        return { d, log: (step: string) => logOf(run.id, step) };
      };
      return { runId: run.id, done };
    },
    async waitForLog(runId, step, text) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const d = await app.engine.getRun(runId);
        const s = d.steps.find((x) => x.stepKey === step);
        if (s?.status === 'running') {
          const log = await logOf(runId, step);
          if (typeof text === 'string' ? log.includes(text) : text.test(log)) return;
        }
        if (d.run.status !== 'running' || Date.now() > deadline)
          throw new Error(
            `step ${step} never logged ${String(text)}: ${JSON.stringify(d.steps.map((x) => [x.stepKey, x.status, x.error]))} ${await logOf(runId, step)}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async run(yaml, inputs = {}) {
      return (await h.start(yaml, inputs)).done();
    },
    async close() {
      await app.close(2_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** A step of a finished run. */
export const stepOf = (d: RunDetails, key: string) => {
  const s = d.steps.find((x) => x.stepKey === key);
  if (!s) throw new Error(`no step ${key}: ${d.steps.map((x) => x.stepKey).join(', ')}`);
  return s;
};
