import { describe, expect, it } from 'vitest';
import { BatonError } from '../domain/errors.ts';
import { runSaga, SagaFailed, type SagaStage } from './saga.ts';

function stages(trace: string[], failAt: string, error: unknown, brokenUndo?: string): SagaStage[] {
  const stage = (name: string, undo = true): SagaStage => ({
    name,
    run: async () => {
      trace.push(`run ${name}`);
      if (name === failAt) throw error;
    },
    ...(undo
      ? {
          compensate: async () => {
            trace.push(`undo ${name}`);
            if (name === brokenUndo) throw new Error(`cannot undo ${name}`);
            return `undid ${name}`;
          },
        }
      : {}),
  });
  return [stage('a'), stage('b', false), stage('c'), stage('d')];
}

const final = new BatonError('invalid_state', 'refused', { hint: 'fix it' });
const transient = new BatonError('internal', 'flaky', { retryable: true });

describe('runSaga', () => {
  it('runs every stage in order and undoes nothing when they all succeed', async () => {
    const trace: string[] = [];
    await runSaga(stages(trace, 'none', final), {
      signal: AbortSignal.timeout(5_000),
      log: async () => undefined,
      isFinal: () => true,
    });
    expect(trace).toEqual(['run a', 'run b', 'run c', 'run d']);
  });

  it('compensates the completed stages in reverse order on a final failure, keeping the original error', async () => {
    const trace: string[] = [];
    const logs: string[] = [];
    const e = await runSaga(stages(trace, 'd', final), {
      signal: AbortSignal.timeout(5_000),
      log: async (l) => void logs.push(l),
      isFinal: () => true,
    }).catch((x: unknown) => x);
    expect(trace).toEqual(['run a', 'run b', 'run c', 'run d', 'undo c', 'undo a']);
    expect(e).toBeInstanceOf(SagaFailed);
    const f = e as SagaFailed;
    expect(f.original).toBe(final);
    expect(f.stage).toBe('d');
    expect(f.undone).toEqual(['undid c', 'undid a']);
    expect(f.message).toBe('d failed: refused (fix it) — compensation: undid c; undid a');
    expect(logs.join('\n')).toContain('undo c: undid c');
  });

  it('reports a compensation that fails, runs the others, and never masks the original error', async () => {
    const trace: string[] = [];
    const e = (await runSaga(stages(trace, 'd', final, 'c'), {
      signal: AbortSignal.timeout(5_000),
      log: async () => undefined,
      isFinal: () => true,
    }).catch((x: unknown) => x)) as SagaFailed;
    expect(trace).toEqual(['run a', 'run b', 'run c', 'run d', 'undo c', 'undo a']);
    expect(e.original).toBe(final);
    expect(e.undone).toEqual(['undid a']);
    expect(e.compensationErrors).toEqual(['undoing "c" failed: cannot undo c']);
    expect(e.message).toContain('d failed: refused');
    expect(e.message).toContain('compensation failed: undoing "c" failed: cannot undo c');
  });

  it('undoes nothing when another attempt follows, and rethrows the error as it is', async () => {
    const trace: string[] = [];
    const logs: string[] = [];
    const e = await runSaga(stages(trace, 'c', transient), {
      signal: AbortSignal.timeout(5_000),
      log: async (l) => void logs.push(l),
      isFinal: () => false,
    }).catch((x: unknown) => x);
    expect(e).toBe(transient);
    expect(trace).toEqual(['run a', 'run b', 'run c']);
    expect(logs.join('\n')).toContain('nothing is undone');
  });

  it('undoes nothing when the step was cancelled', async () => {
    const trace: string[] = [];
    const ac = new AbortController();
    const cancelled = new Error('cancelled');
    const list = stages(trace, 'none', final);
    list[2] = {
      name: 'c',
      run: async () => {
        ac.abort();
        throw cancelled;
      },
      compensate: async () => 'undid c',
    };
    const e = await runSaga(list, {
      signal: ac.signal,
      log: async () => undefined,
      isFinal: () => true,
    }).catch((x: unknown) => x);
    expect(e).toBe(cancelled);
    expect(trace).toEqual(['run a', 'run b']);
  });
});
