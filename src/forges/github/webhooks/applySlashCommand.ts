import { assertExhaustive } from '../../../domain/assertExhaustive.ts';
import { BatonError } from '../../../domain/errors.ts';
import type { Engine } from '../../../engine/engine.ts';
import type { SlashCommand } from './slashCommand.ts';

type Commands = Pick<Engine, 'getRun' | 'approve' | 'reject' | 'retry' | 'cancel' | 'pause' | 'resume'>;

/**
 * Carries out a slash command on its run, as `github:<login>`: `/approve` and `/reject` decide the
 * run's pending approval, `/retry` retries its failed step, `/cancel`, `/pause`, `/resume` the run.
 * Returns what was done, in words.
 */
export async function applySlashCommand(engine: Commands, c: SlashCommand): Promise<string> {
  const { run, steps } = await engine.getRun(c.runId);
  const actor = { by: c.by, ...(c.argument ? { reason: c.argument } : {}) };
  const stepIn = (status: string, what: string): string => {
    const s = steps.find((x) => x.status === status);
    if (!s) throw new BatonError('invalid_state', `run ${run.id} has no step ${what}`);
    return s.stepKey;
  };
  switch (c.name) {
    case 'approve': {
      const step = stepIn('awaiting_approval', 'awaiting approval');
      await engine.approve(run.id, step, { by: c.by, ...(c.argument ? { comment: c.argument } : {}) });
      return `approved step ${step} of run ${run.id}`;
    }
    case 'reject': {
      const step = stepIn('awaiting_approval', 'awaiting approval');
      await engine.reject(run.id, step, { by: c.by, ...(c.argument ? { comment: c.argument } : {}) });
      return `rejected step ${step} of run ${run.id}`;
    }
    case 'retry': {
      const step = stepIn('failed', 'that failed');
      await engine.retry(run.id, step, actor);
      return `retrying step ${step} of run ${run.id}`;
    }
    case 'cancel':
      await engine.cancel(run.id, actor);
      return `cancelled run ${run.id}`;
    case 'pause':
      await engine.pause(run.id, actor);
      return `paused run ${run.id}`;
    case 'resume':
      await engine.resume(run.id, actor);
      return `resumed run ${run.id}`;
    default:
      return assertExhaustive(c.name);
  }
}
