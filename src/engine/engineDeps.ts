import type { Clock } from './ports/clock.ts';
import type { Store } from './ports/store.ts';

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface EngineConfig {
  /** lease length (DESIGN §3.3: short, ~30 s) */
  leaseMs: number;
  /** how often a runner renews its leases and checks for cancellation */
  heartbeatMs: number;
  /** idle polling interval: wake-ups are hints backed by polling (§3.4) */
  pollMs: number;
  /** how often expired leases, due waits and schedules are swept */
  sweepMs: number;
  /** a step whose lease expires this many times fails with `lease_lost` */
  maxReclaims: number;
  /** grace between TERM and KILL when a step is cancelled or times out */
  killGraceMs: number;
  /**
   * Concurrency limits of `agent:` steps by pool key (`runtime:<id>`, `provider:<name>`), from the
   * configuration; a `concurrency_limits` row of the same key overrides one (see agentPools.ts).
   */
  agentPoolLimits: Readonly<Record<string, number>>;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = Object.freeze({
  leaseMs: 30_000,
  heartbeatMs: 2_000,
  pollMs: 250,
  sweepMs: 1_000,
  maxReclaims: 10,
  killGraceMs: 5_000,
  agentPoolLimits: Object.freeze({}),
});

/** In-process wake-up hints (DESIGN §3.4): never the source of truth, only a shortcut past polling. */
export interface Hints {
  workAvailable: () => void;
  /** queue settings changed in this process: runners re-read them now */
  queueChanged: () => void;
  runCancelled: (runId: string) => void;
}

/**
 * Named crash windows (DBOS `debugpoint.ts`): a test build passes a hook that SIGKILLs the process
 * when a chosen point is reached; production passes nothing.
 */
export type FaultPoint =
  'worker.afterClaim' | 'worker.midStep' | 'worker.beforeResultCommit' | 'worker.afterResultCommit';

/** What every engine system receives: no DI container, just this record. */
export interface EngineDeps {
  fault?: (point: FaultPoint) => void;
  store: Store;
  clock: Clock;
  config: EngineConfig;
  hints: Hints;
  logger: Logger;
  random: () => number;
  newId: () => string;
}
