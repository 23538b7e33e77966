import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RUN_STATUSES } from '../../domain/runStatus.ts';
import { STEP_STATUSES } from '../../domain/stepStatus.ts';
import type { AttemptKeyset, Store } from '../../engine/ports/store.ts';

const DURATION_PAGE = 1_000;
const DURATION_MAX_PAGES = 20;

export interface ApiMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** reads the database-backed families, then renders the exposition text */
  render(): Promise<string>;
}

/**
 * A registry per app instance (never prom-client's global one). Run/step/queue gauges and the
 * reclaim counter are read from the store at scrape time; the step-duration histogram tails the
 * attempts finished since this app started (keyset on finished_at, step_id, attempt).
 */
export function createApiMetrics(store: Store, now: () => number): ApiMetrics {
  const registry = new Registry();
  new Gauge({
    name: 'baton_runs',
    help: 'Runs by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = new Map((await store.countRunsByStatus()).map((r) => [r.status, r.count]));
      for (const s of RUN_STATUSES) this.set({ status: s }, counts.get(s) ?? 0);
    },
  });
  new Gauge({
    name: 'baton_steps',
    help: 'Steps by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = new Map((await store.countStepsByStatus()).map((r) => [r.status, r.count]));
      for (const s of STEP_STATUSES) this.set({ status: s }, counts.get(s) ?? 0);
    },
  });
  new Gauge({
    name: 'baton_queue_depth',
    help: 'Queued runnable steps waiting for a runner slot',
    registers: [registry],
    async collect() {
      this.set(await store.countQueuedSteps());
    },
  });
  new Counter({
    name: 'baton_lease_reclaims_total',
    help: 'Step leases reclaimed after expiry (step.reclaimed events in the outbox)',
    registers: [registry],
    async collect() {
      const n = await store.countEventsByType('step.reclaimed');
      this.reset();
      this.inc(n);
    },
  });
  const stepDuration = new Histogram({
    name: 'baton_step_duration_seconds',
    help: 'Duration of finished step attempts (since this server started), by attempt status',
    labelNames: ['status'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'baton_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  let watermark: AttemptKeyset = { finishedAt: now(), stepId: '', attempt: 0 };
  let tailing: Promise<void> | null = null;
  async function tailDurations(): Promise<void> {
    for (let page = 0; page < DURATION_MAX_PAGES; page++) {
      const rows = await store.listFinishedAttempts(watermark, DURATION_PAGE);
      for (const a of rows) {
        stepDuration.observe({ status: a.status }, Math.max(0, a.finishedAt - a.startedAt) / 1000);
      }
      const last = rows.at(-1);
      if (last) watermark = { finishedAt: last.finishedAt, stepId: last.stepId, attempt: last.attempt };
      if (rows.length < DURATION_PAGE) return;
    }
  }

  return {
    registry,
    httpDuration,
    async render() {
      // concurrent scrapes share one tail so no attempt is observed twice
      tailing ??= tailDurations().finally(() => (tailing = null));
      await tailing;
      return registry.metrics();
    },
  };
}
