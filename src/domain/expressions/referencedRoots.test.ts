import { describe, expect, it } from 'vitest';
import { referencedRoots } from './referencedRoots.ts';

describe('referencedRoots', () => {
  it('collects inputs, steps and step outputs', () => {
    const refs = referencedRoots(
      'steps.build.outputs.version + inputs.name + steps["test"].outputs["report"] + run.id',
    );
    expect(refs.roots.sort()).toEqual(['inputs', 'run', 'steps']);
    expect(refs.inputs).toEqual(['name']);
    expect(refs.steps.sort()).toEqual(['build', 'test']);
    expect(refs.stepOutputs).toEqual([
      { step: 'build', output: 'version' },
      { step: 'test', output: 'report' },
    ]);
  });

  it('ignores string literals', () => {
    const refs = referencedRoots('"steps.x.outputs.y" == inputs.a');
    expect(refs.steps).toEqual([]);
    expect(refs.inputs).toEqual(['a']);
  });

  it('handles has(), optional access and status calls', () => {
    const refs = referencedRoots(
      'has(steps.a.outputs.x) && steps.?b.status.orValue("") == "ok" && failure()',
    );
    expect(refs.steps.sort()).toEqual(['a', 'b']);
    expect(refs.calls.sort()).toEqual(['failure', 'has']);
  });

  it('does not count comprehension variables as roots', () => {
    const refs = referencedRoots(
      'size(inputs.list.map(x, x + item.offset).filter(y, y > 0)) > 0 && cel.bind(z, inputs.k, z > 1)',
    );
    expect(refs.roots.sort()).toEqual(['inputs', 'item']);
    expect(refs.inputs.sort()).toEqual(['k', 'list']);
  });

  it('records the root of computed paths', () => {
    const refs = referencedRoots('steps[inputs.which].status');
    expect(refs.roots.sort()).toEqual(['inputs', 'steps']);
    expect(refs.steps).toEqual([]);
    expect(refs.inputs).toEqual(['which']);
  });
});
