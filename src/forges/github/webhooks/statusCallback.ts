import { z } from 'zod';

/** The `repository_dispatch` action of the status callbacks of dispatched workflows. */
export const STATUS_CALLBACK_ACTION = 'orchestrator.status';

const callbackSchema = z.object({
  runId: z.string().min(1).max(200),
  nodeId: z.string().min(1).max(200).optional(),
  phase: z.string().min(1).max(100).optional(),
  state: z.string().min(1).max(100),
  progress: z.number().min(0).max(100).optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
  artifacts: z.array(z.unknown()).optional(),
});

/** A status callback as Baton events carry it (`event.payload.status_callback`). */
export interface StatusCallback {
  run_id: string;
  node_id: string | null;
  phase: string | null;
  state: string;
  progress: number | null;
  metrics: Record<string, unknown>;
  artifacts: unknown[];
}

export type ParsedCallback = { ok: true; callback: StatusCallback } | { ok: false; reason: string };

/**
 * The `client_payload` of a `repository_dispatch` status callback: `{runId, nodeId, phase, state,
 * progress, metrics, artifacts}` (runId and state required; progress 0–100).
 */
export function parseStatusCallback(clientPayload: unknown): ParsedCallback {
  const r = callbackSchema.safeParse(clientPayload);
  if (!r.success) {
    const first = r.error.issues[0];
    const where = first?.path.length ? `client_payload.${first.path.join('.')}` : 'client_payload';
    return { ok: false, reason: `not a status callback: ${where}: ${first?.message ?? 'invalid'}` };
  }
  const c = r.data;
  return {
    ok: true,
    callback: {
      run_id: c.runId,
      node_id: c.nodeId ?? null,
      phase: c.phase ?? null,
      state: c.state,
      progress: c.progress ?? null,
      metrics: c.metrics ?? {},
      artifacts: c.artifacts ?? [],
    },
  };
}
