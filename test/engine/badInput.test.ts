import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';

describe.each(DIALECTS)('bad input at run time on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => h.close());

  it('an oversize output fails the step naming the key; the engine keeps running other work', async () => {
    await h.register(`
name: big
steps:
  - id: flood
    run: head -c 200000 /dev/zero | tr '\\0' x | sed 's/^/blob=/' >> "$BATON_OUTPUT"; echo >> "$BATON_OUTPUT"
  - id: fine
    run: echo ok
`);
    const d = await h.finish((await h.start('big')).id);
    expect(d.run.status).toBe('failed');
    const flood = h.step(d, 'flood');
    expect(flood.error?.code).toBe('output_too_large');
    expect(flood.error?.message).toContain('blob');
    expect(h.step(d, 'fine').status).toBe('succeeded');
  });

  it('a template that fails at run time fails that step with the expression named', async () => {
    await h.register(`
name: missing-output
steps:
  - id: a
    run: echo "nothing written"
  - id: b
    needs: a
    run: echo "{{ steps.a.outputs.result }}"
`);
    const d = await h.finish((await h.start('missing-output')).id);
    expect(d.run.status).toBe('failed');
    const b = h.step(d, 'b');
    expect(b.status).toBe('failed');
    expect(b.error?.code).toBe('invalid_expression');
    expect(b.error?.message).toMatch(/result/);
  });

  it('a missing working directory and an unknown shell fail clearly', async () => {
    await h.register(`
name: env-problems
steps:
  - id: nodir
    run: pwd
    working_directory: does/not/exist
  - id: noshell
    run: echo hi
    shell: zsh
`);
    const d = await h.finish((await h.start('env-problems')).id);
    expect(h.step(d, 'nodir').error?.message).toContain('does/not/exist');
    expect(h.step(d, 'noshell')).toMatchObject({ status: 'failed', error: { code: 'step_failed' } });
    expect(h.step(d, 'noshell').error?.message).toContain('zsh');
  });

  it('controls on unknown runs and steps are errors, not crashes', async () => {
    await expect(h.engine.cancel('nope', { by: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.engine.resolveRunId('zzzz')).rejects.toMatchObject({ code: 'not_found' });
    await h.register(`
name: one
steps:
  - id: s
    run: echo 1
`);
    const run = await h.start('one');
    await h.finish(run.id);
    await expect(h.engine.retry(run.id, 'x', { by: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.engine.retry(run.id, 's', { by: 'x' })).rejects.toMatchObject({ code: 'invalid_state' });
    await expect(h.engine.pause(run.id, { by: 'x' })).rejects.toMatchObject({ code: 'invalid_state' });
    await expect(h.engine.updateQueue({ maxConcurrent: 0 }, { by: 'x' })).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'max_concurrent',
    });
    // the engine still works
    expect((await h.finish((await h.start('one')).id)).run.status).toBe('succeeded');
  });
});
