import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatonError } from '../../domain/errors.ts';
import { loadScenarios } from './loadScenarios.ts';
import { parseScenarios } from './parseScenarios.ts';

function errorOf(fn: () => unknown): BatonError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BatonError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseScenarios', () => {
  it('accepts the shorthand forms and keeps action order', () => {
    const [s] = parseScenarios(
      [
        'name: demo',
        'turns:',
        '  - say: hi',
        '  - think: plan',
        '    write_file: { path: a.txt, content: "A\\n" }',
        '    usage: { input_tokens: 5, output_tokens: 6 }',
        '  - [ { shell: ls }, { say: listed } ]',
        '  - error: { status: 429, retry_after: 2, times: 1 }',
        '  - reply: [ { final: { ok: true } } ]',
        '    delay_ms: 10',
      ].join('\n'),
      'demo.yaml',
    );
    expect(s?.turns).toEqual([
      { kind: 'reply', reply: [{ say: 'hi' }] },
      {
        kind: 'reply',
        reply: [{ think: 'plan' }, { write_file: { path: 'a.txt', content: 'A\n' } }],
        usage: { input_tokens: 5, output_tokens: 6 },
      },
      { kind: 'reply', reply: [{ shell: 'ls' }, { say: 'listed' }] },
      { kind: 'error', error: { status: 429, retry_after: 2, times: 1 } },
      { kind: 'reply', reply: [{ final: { ok: true } }], delay_ms: 10 },
    ]);
  });

  it('reads a list of scenarios', () => {
    const list = parseScenarios(
      'scenarios:\n  - {name: a, turns: [say: x]}\n  - {name: b, turns: [say: y]}',
      'f',
    );
    expect(list.map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('names the file and the field of a wrong value', () => {
    const e = errorOf(() =>
      parseScenarios('name: x\nturns:\n  - say: ok\n  - write_file: { path: 3 }', 'x.yaml'),
    );
    expect(e.message).toContain('x.yaml');
    expect(e.field).toBe('turns[1].reply[0].write_file.path');
    expect(e.message).toContain('turns[1].reply[0].write_file.content');
  });

  it('rejects unknown keys, empty turns and contradictory errors', () => {
    expect(errorOf(() => parseScenarios('name: x\nturns: [ {sya: hi} ]', 'f')).message).toMatch(/sya/);
    expect(errorOf(() => parseScenarios('name: x\nturns: []', 'f')).field).toBe('turns');
    expect(
      errorOf(() => parseScenarios('name: x\nturns: [ {error: {status: 500, cut_after: 1}} ]', 'f')).message,
    ).toMatch(/exactly one of `status`/);
    expect(
      errorOf(() => parseScenarios('name: x\nturns: [ {error: {cut_after: 1, retry_after: 1}} ]', 'f')).field,
    ).toBe('turns[0].error.retry_after');
    expect(errorOf(() => parseScenarios('name: "a b"\nturns: [ {say: x} ]', 'f')).field).toBe('name');
  });

  it('reports YAML syntax errors with a hint', () => {
    const e = errorOf(() => parseScenarios('name: [unclosed', 'bad.yaml'));
    expect(e.message).toMatch(/bad.yaml is not valid YAML/);
    expect(e.hint).toBeDefined();
  });
});

describe('loadScenarios', () => {
  it('loads every YAML file of a directory and refuses duplicate names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-scen-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), 'name: a\nturns: [say: x]\n');
      writeFileSync(join(dir, 'b.yml'), 'name: b\nturns: [say: y]\n');
      writeFileSync(join(dir, 'notes.txt'), 'ignored');
      expect((await loadScenarios(dir)).map((s) => s.name)).toEqual(['a', 'b']);
      writeFileSync(join(dir, 'c.yaml'), 'name: a\nturns: [say: z]\n');
      await expect(loadScenarios(dir)).rejects.toThrow(/two scenarios are named "a"/);
      await expect(loadScenarios(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read scenarios/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads the example scenarios', async () => {
    const examples = new URL('../../../examples/scenarios', import.meta.url).pathname;
    expect((await loadScenarios(examples)).length).toBeGreaterThanOrEqual(4);
  });
});
