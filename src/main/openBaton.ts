import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/configSchema.ts';
import type { StepRecord } from '../domain/records.ts';
import { Engine } from '../engine/engine.ts';
import type { FaultPoint, Logger } from '../engine/engineDeps.ts';
import type { StepExecutor } from '../engine/ports/stepExecutor.ts';
import type { Store } from '../engine/ports/store.ts';
import type { AccountsStore } from '../accounts/accountsStore.ts';
import { openAccountsStore } from '../accounts/openAccountsStore.ts';
import { resolveRole } from '../domain/agents/resolveRole.ts';
import { AgentExecutor, type RoleLookup } from '../runners/agent/agentExecutor.ts';
import { routeExecutor } from '../runners/agent/routeExecutor.ts';
import { withAgentCommit } from '../runners/agent/withAgentCommit.ts';
import { LocalExecutor } from '../runners/local/localExecutor.ts';
import { FileProcessRegistry } from '../runners/registry/fileProcessRegistry.ts';
import { openStore } from '../store/openStore.ts';
import type { CursorWebhookHub } from '../agents/runtimes/cursor/CursorWebhookHub.ts';
import { enginePlanApprovals } from './enginePlanApprovals.ts';
import { openActions } from './openActions.ts';
import { engineIssueAccess } from './engineIssueAccess.ts';
import { recentRunsFromStore } from '../runners/agent/recentRunsFromStore.ts';
import { stepBaseEnv } from './stepBaseEnv.ts';
import { stepLogSink } from './stepLogSink.ts';

export interface BatonApp {
  engine: Engine;
  store: Store;
  config: Readonly<Config>;
  /** this process's runner id (lease owner) when it runs steps */
  owner: string | null;
  close(drainMs?: number): Promise<void>;
}

export interface OpenBatonOptions {
  logger: Logger;
  /** run `run:` steps in this process (serve, or `baton run` with no server) */
  runner?: boolean;
  /** a different executor (benchmarks use a no-op one) */
  executor?: StepExecutor;
  /** PostgreSQL schema (tests) */
  schema?: string;
  /** where agent steps read model endpoints, keys and binaries (default: process.env) */
  agentEnv?: NodeJS.ProcessEnv;
  /** Cursor agents finish on the signed webhook delivered to this hub (the API's /webhooks/cursor) */
  cursorWebhook?: CursorWebhookHub;
  /** kill tests: the action executor's crash windows (`action.done:<action>`) */
  actionFault?: (point: string) => void;
  /** kill tests: the engine's crash windows */
  fault?: (point: FaultPoint) => void;
  /** runner lease length override (kill tests use short leases) */
  leaseMs?: number;
  /** Jules / Cursor status polls of agent steps (default 5 s; tests poll faster) */
  agentPollMs?: number;
  cwd?: string;
}

/** The composition root: the only place that wires concrete adapters to the engine. */
export async function openBaton(config: Readonly<Config>, opts: OpenBatonOptions): Promise<BatonApp> {
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: opts.schema,
  });
  let owner: string | null = null;
  let accounts: AccountsStore | undefined;
  let runner: ConstructorParameters<typeof Engine>[0]['runner'];
  // the agent executor asks the engine for plan approvals; the engine is built after the runner
  let engineRef: Engine | undefined;
  const lazyEngine: Pick<Engine, 'requestAgentApproval'> = {
    requestAgentApproval: (r, signal) => {
      if (!engineRef) throw new Error('the engine is not open yet');
      return engineRef.requestAgentApproval(r, signal);
    },
  };
  if (opts.runner) {
    owner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    const registry = new FileProcessRegistry(join(config.dataDir, 'runners'));
    const roles: RoleLookup = async (workspaceId, name) => {
      accounts ??= openAccountsStore({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        schema: opts.schema,
      });
      return resolveRole(name, await accounts.getRole(workspaceId, name));
    };
    const localExecutors = (): StepExecutor => {
      const actions = openActions({
        dataDir: config.dataDir,
        db: store.db,
        store,
        accounts: () =>
          (accounts ??= openAccountsStore({
            databaseUrl: config.databaseUrl,
            dataDir: config.dataDir,
            schema: opts.schema,
          })),
        poke: () => engineRef?.pokeTriggers(),
        getRun: (id) => store.getRun(id),
        ...(opts.actionFault ? { fault: opts.actionFault } : {}),
        issues: engineIssueAccess(() => {
          if (!engineRef) throw new Error('the engine is not open yet');
          return engineRef;
        }),
        logger: opts.logger,
        github: config.github,
      });
      const agents = new AgentExecutor({
        roles,
        store,
        hostEnv: opts.agentEnv ?? process.env,
        dataDir: config.dataDir,
        killGraceMs: config.killGraceMs,
        approvals: enginePlanApprovals(lazyEngine, store),
        getRun: (id) => store.getRun(id),
        recentRuns: recentRunsFromStore(store),
        grantable: config.stepEnv,
        ...(config.agentEndpoints ? { endpoints: config.agentEndpoints } : {}),
        ...(config.agentPrices ? { prices: config.agentPrices } : {}),
        ...(opts.cursorWebhook ? { cursorWebhook: opts.cursorWebhook } : {}),
        ...(opts.agentPollMs === undefined ? {} : { pollIntervalMs: opts.agentPollMs }),
      });
      return routeExecutor(
        new LocalExecutor({ registry, killGraceMs: config.killGraceMs }),
        withAgentCommit(agents, actions),
        actions,
      );
    };
    const executor = opts.executor ?? localExecutors();
    const makeSink = (step: StepRecord) => stepLogSink(store, step);
    runner = {
      owner,
      concurrency: config.concurrency,
      executor,
      makeSink,
      baseEnv: stepBaseEnv(config.stepEnv),
      defaultCwd: opts.cwd ?? process.cwd(),
      beforeReclaim: async () => {
        const r = await registry.reapDeadIncarnations({ graceMs: config.killGraceMs });
        if (r.killed.length)
          opts.logger.warn({ killed: r.killed }, 'ended processes orphaned by a previous runner');
      },
    };
  }
  const engine = (engineRef = new Engine({
    store,
    logger: opts.logger,
    ...(opts.fault ? { fault: opts.fault } : {}),
    config: {
      leaseMs: opts.leaseMs ?? config.leaseMs,
      heartbeatMs: config.heartbeatMs,
      pollMs: config.pollMs,
      killGraceMs: config.killGraceMs,
      agentPoolLimits: config.agentPoolLimits ?? {},
    },
    ...(runner ? { runner } : {}),
  }));
  return {
    engine,
    store,
    config,
    owner,
    async close(drainMs = 10_000) {
      await engine.stop(drainMs);
      await accounts?.close();
      await store.close();
    },
  };
}
