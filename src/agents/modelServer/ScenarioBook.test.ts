import { describe, expect, it } from 'vitest';
import type { ModelRequest } from './ModelRequest.ts';
import { parseScenarios } from './parseScenarios.ts';
import { ScenarioBook } from './ScenarioBook.ts';

const book = () =>
  new ScenarioBook(
    parseScenarios(
      `
scenarios:
  - name: flaky
    turns:
      - error: { status: 429, retry_after: 1, times: 2 }
      - say: first
      - error: { cut_after: 2, times: 1 }
      - say: second
  - name: broken
    default: true
    turns:
      - error: { status: 400 }
`,
      'test',
    ),
  );

const req = (userText: string, modelTurns = 0, conversation = 'c1'): ModelRequest => ({
  api: 'anthropic',
  model: 'm',
  stream: true,
  userText,
  cwd: undefined,
  modelTurns,
  toolResults: [],
  tools: [],
  conversation,
});

describe('ScenarioBook', () => {
  it('picks the scenario by marker, else the default', () => {
    const b = book();
    expect(b.plan(req('[scenario:flaky] go'))).toMatchObject({ kind: 'error', scenario: { name: 'flaky' } });
    expect(b.plan(req('no marker'))).toMatchObject({
      kind: 'error',
      status: 400,
      scenario: { name: 'broken' },
    });
    const unknown = b.plan(req('[scenario:nope]'));
    expect(unknown.kind === 'unmatched' && unknown.message).toMatch(/unknown scenario "nope".*flaky, broken/);
  });

  it('says what to do when nothing matches and there is no default', () => {
    const b = new ScenarioBook(
      parseScenarios('scenarios: [{name: a, turns: [say: x]}, {name: b, turns: [say: y]}]', 't'),
    );
    const p = b.plan(req('hello'));
    expect(p.kind === 'unmatched' && p.message).toMatch(/no \[scenario:NAME\] marker.*known scenarios: a, b/);
  });

  it('fails `times` attempts per conversation and turn, then replies; the turn follows the history', () => {
    const b = book();
    const at = (turns: number, conv = 'c1') => b.plan(req('[scenario:flaky]', turns, conv));
    expect(at(0)).toMatchObject({ kind: 'error', status: 429, retryAfter: 1, turnIndex: 0 });
    expect(at(0)).toMatchObject({ kind: 'error', status: 429 });
    expect(at(0, 'other')).toMatchObject({ kind: 'error', status: 429 });
    expect(at(0)).toMatchObject({ kind: 'reply', turn: { reply: [{ say: 'first' }] } });
    expect(at(1)).toMatchObject({ kind: 'reply', cutAfter: 2, turn: { reply: [{ say: 'second' }] } });
    expect(at(1)).toMatchObject({ kind: 'reply', turn: { reply: [{ say: 'second' }] } });
    expect(at(1)).not.toHaveProperty('cutAfter');
    expect(at(2)).toMatchObject({ kind: 'exhausted', turnIndex: 2 });
  });

  it('keeps failing an error without `times`', () => {
    const b = book();
    for (let i = 0; i < 5; i++) expect(b.plan(req('x')).kind).toBe('error');
  });
});
