import { describe, expect, it } from 'vitest';
import { isBatonError } from '../errors.ts';
import { extractTemplateExpressions } from './extractTemplateExpressions.ts';
import { renderTemplate } from './renderTemplate.ts';
import { renderValue } from './renderValue.ts';
import { singleTemplateExpression } from './singleTemplateExpression.ts';

const ctx = {
  inputs: { name: 'web', count: 3, on: true, ratio: 0.5, nothing: null, tags: ['a', 'b'] },
  steps: { a: { status: 'succeeded', outputs: { items: [1, 2], cfg: { k: 'v' } } } },
  run: { id: 'r1', workflow: 'w' },
  env: {},
};

describe('renderTemplate', () => {
  it('renders values by type', () => {
    expect(
      renderTemplate('deploy {{ inputs.name }} x{{inputs.count}} {{ inputs.on }} {{ inputs.ratio }}', ctx),
    ).toBe('deploy web x3 true 0.5');
    expect(renderTemplate('[{{ inputs.nothing }}]', ctx)).toBe('[]');
    expect(renderTemplate('{{ inputs.tags }} {{ steps.a.outputs.cfg }}', ctx)).toBe('["a","b"] {"k":"v"}');
  });

  it('returns text without templates unchanged', () => {
    expect(renderTemplate('echo "${HOME}" {not a template}', ctx)).toBe('echo "${HOME}" {not a template}');
  });

  it('handles braces and quotes inside expressions', () => {
    expect(renderTemplate('{{ "}}" + inputs.name }}', ctx)).toBe('}}web');
    expect(renderTemplate("{{ '{{' }}", ctx)).toBe('{{');
    expect(renderTemplate('{{ {"a": {"b": 1}}.a.b }}!', ctx)).toBe('1!');
    expect(renderTemplate('{{ "say \\"}}\\"" }}', ctx)).toBe('say "}}"');
    expect(renderTemplate('{{ r"\\}}" }}', ctx)).toBe('\\}}');
    expect(renderTemplate('{{ """a }} b""" }}', ctx)).toBe('a }} b');
  });

  it('fails on an unclosed template', () => {
    try {
      renderTemplate('echo {{ inputs.name', ctx);
      expect.unreachable();
    } catch (e) {
      expect(isBatonError(e, 'invalid_expression')).toBe(true);
      expect((e as Error).message).toBe('unclosed "{{" at offset 5 in template "echo {{ inputs.name"');
    }
  });

  it('propagates evaluation errors', () => {
    expect(() => renderTemplate('{{ inputs.nope }}', ctx)).toThrow(
      'expression "inputs.nope" failed: no such key: nope',
    );
  });
});

describe('renderValue', () => {
  it('keeps the type of a lone template', () => {
    expect(renderValue('{{ steps.a.outputs.items }}', ctx)).toEqual([1, 2]);
    expect(renderValue(' {{ inputs.count }} ', ctx)).toBe(3);
    expect(renderValue('n={{ inputs.count }}', ctx)).toBe('n=3');
  });

  it('recurses into objects and arrays', () => {
    const value = {
      list: '{{ steps.a.outputs.items }}',
      nested: [{ s: 'hi {{ inputs.name }}' }, 4, true, null],
      n: 7,
    };
    expect(renderValue(value, ctx)).toEqual({ list: [1, 2], nested: [{ s: 'hi web' }, 4, true, null], n: 7 });
  });

  it('does not treat two templates as one', () => {
    expect(renderValue('{{ inputs.count }}{{ inputs.count }}', ctx)).toBe('33');
  });
});

describe('extractTemplateExpressions / singleTemplateExpression', () => {
  it('lists expression sources', () => {
    expect(extractTemplateExpressions('a {{ x.y }} b {{"}}"}} c')).toEqual(['x.y', '"}}"']);
    expect(extractTemplateExpressions('no templates')).toEqual([]);
  });

  it('detects a lone template', () => {
    expect(singleTemplateExpression('{{ a }}')).toBe('a');
    expect(singleTemplateExpression('{{ a }} {{ b }}')).toBeUndefined();
    expect(singleTemplateExpression('x {{ a }}')).toBeUndefined();
    expect(singleTemplateExpression('{{ a ')).toBeUndefined();
  });
});
