import { BatonError } from '../../domain/errors.ts';
import type { ActionHandler } from '../ActionContext.ts';
import { dispatchIdFor } from './dispatchId.ts';

function parsePayload(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new BatonError('invalid_input', 'with.payload is not JSON: expected an object', {
      field: 'with.payload',
    });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new BatonError('invalid_input', 'with.payload must be a JSON object', { field: 'with.payload' });
  return v as Record<string, unknown>;
}

/**
 * `forge/dispatch`: a `repository_dispatch` (event_type + payload) or `workflow_dispatch` (workflow,
 * ref, inputs) out, carrying a UUIDv7 `dispatch_id` stable per step key so a receiver drops the copy
 * a re-run sends. Status callbacks come back as `github.orchestrator.status` events.
 */
export const forgeDispatch: ActionHandler<{
  repository: string;
  event_type?: string | undefined;
  workflow?: string | undefined;
  ref?: string | undefined;
  payload?: string | undefined;
}> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  if (!repo.forge.dispatch) {
    throw new BatonError(
      'invalid_input',
      `repository ${repo.name} is on the ${repo.forge.kind} forge, which has no dispatches`,
      {
        field: 'with.repository',
        hint: 'dispatches start CI on GitHub; on the local forge run the job as a run: step',
      },
    );
  }
  const dispatchId = dispatchIdFor(ctx.job.runId, ctx.idempotencyKey);
  const payload = parsePayload(input.payload);
  const origin = { run_id: ctx.job.runId, step: ctx.job.stepKey };
  if (input.workflow !== undefined) {
    const ref = input.ref ?? (await repo.forge.defaultBranch(repo.ref, ctx.signal));
    const inputs = Object.fromEntries(
      Object.entries({ ...payload, ...origin }).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    );
    await repo.forge.dispatch(
      repo.ref,
      { kind: 'workflow', workflow: input.workflow, ref, inputs, dispatchId },
      ctx.signal,
    );
    await ctx.log(`workflow_dispatch ${input.workflow} on ${ref} (dispatch ${dispatchId})`);
  } else {
    const eventType = input.event_type ?? '';
    await repo.forge.dispatch(
      repo.ref,
      { kind: 'repository', eventType, payload: { ...payload, ...origin }, dispatchId },
      ctx.signal,
    );
    await ctx.log(`repository_dispatch ${eventType} (dispatch ${dispatchId})`);
  }
  return { dispatch_id: dispatchId };
};
