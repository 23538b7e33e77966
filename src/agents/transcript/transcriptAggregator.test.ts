import { describe, expect, it } from 'vitest';
import { summarizeTranscript, TranscriptAggregator } from './transcriptAggregator.ts';
import type { TokenCounts } from './tokenCounts.ts';
import type { TranscriptEventData } from './transcriptEvent.ts';

const tokens = (input: number, output: number): TokenCounts => ({
  input,
  output,
  cached_input: 0,
  cache_write: 0,
  reasoning: 0,
});
const call = (name: string, input: unknown): TranscriptEventData => ({
  kind: 'tool_call',
  id: 'x',
  name,
  input,
});

describe('summarizeTranscript', () => {
  it('is incomplete with nothing', () => {
    expect(summarizeTranscript([])).toMatchObject({
      status: 'incomplete',
      final_text: null,
      cost_usd: null,
      events: 0,
    });
  });

  it('adds deltas and lets a cumulative total replace the running one', () => {
    const deltas = summarizeTranscript([
      { kind: 'usage', mode: 'delta', tokens: tokens(10, 1), cost_usd: 0.25 },
      { kind: 'usage', mode: 'delta', tokens: tokens(20, 2), cost_usd: 0.5 },
    ]);
    expect(deltas.usage).toEqual(tokens(30, 3));
    expect(deltas.cost_usd).toBe(0.75);
    const cumulative = summarizeTranscript([
      { kind: 'usage', mode: 'cumulative', tokens: tokens(100, 20), cost_usd: 0.001 },
      { kind: 'usage', mode: 'cumulative', tokens: tokens(200, 40), cost_usd: 0.002 },
      { kind: 'usage', mode: 'delta', tokens: tokens(5, 5) },
    ]);
    expect(cumulative.usage).toEqual(tokens(205, 45));
    expect(cumulative.cost_usd).toBe(0.002);
  });

  it("prefers the result's cost, sums turns, keeps the last status and the final text", () => {
    const s = summarizeTranscript([
      { kind: 'session', session_id: 's1', model: 'm' },
      { kind: 'message', role: 'assistant', text: 'first', delta: false },
      { kind: 'result', status: 'success', num_turns: 2, cost_usd: 1, text: 'first' },
      { kind: 'message', role: 'assistant', text: 'Hel', delta: true },
      { kind: 'status', status: 'stream content_block_stop' },
      { kind: 'message', role: 'assistant', text: 'lo', delta: true },
      { kind: 'result', status: 'max_turns', num_turns: 1, error: 'too many turns', session_id: 's2' },
    ]);
    expect(s).toMatchObject({
      status: 'max_turns',
      final_text: 'Hello',
      session_id: 's2',
      model: 'm',
      num_turns: 3,
      cost_usd: 1,
      last_error: 'too many turns',
    });
  });

  it('starts a new text after a tool call; a full message replaces the deltas before it', () => {
    const s = summarizeTranscript([
      { kind: 'message', role: 'assistant', text: 'I will ', delta: true },
      call('Bash', { command: 'ls' }),
      { kind: 'message', role: 'assistant', text: 'Do', delta: true },
      { kind: 'message', role: 'assistant', text: 'ne', delta: true },
      { kind: 'message', role: 'assistant', text: 'Done.', delta: false },
      { kind: 'message', role: 'user', text: 'ignored', delta: false },
    ]);
    expect(s.final_text).toBe('Done.');
  });

  it('nets file changes per path, lists commands, counts tools, errors and warnings', () => {
    const s = summarizeTranscript(
      [
        { kind: 'file_change', path: '/w/a.ts', change: 'modify' },
        { kind: 'file_change', path: '/w/tmp.txt', change: 'add' },
        { kind: 'file_change', path: '/w/new.ts', change: 'add' },
        { kind: 'file_change', path: '/w/new.ts', change: 'modify' },
        { kind: 'file_change', path: '/w/tmp.txt', change: 'delete' },
        { kind: 'file_change', path: '/other/b.ts', change: 'delete' },
        { kind: 'command', command: 'npm test', exit_code: 1, output: '' },
        call('Bash', { command: 'npm test' }),
        call('Read', { file_path: 'a' }),
        { kind: 'error', message: 'boom', retryable: false },
        { kind: 'error', message: 'meh', retryable: false, warning: true },
        { kind: 'rate_limited', message: 'slow', reset_at: 5 },
        { kind: 'unknown', type: 'x' },
        { kind: 'result', status: 'success', permission_denials: [{ tool_name: 'Write' }] },
      ],
      { cwd: '/w' },
    );
    expect(s.files_changed).toEqual([
      { path: 'a.ts', change: 'modify' },
      { path: 'new.ts', change: 'add' },
      { path: '/other/b.ts', change: 'delete' },
    ]);
    expect(s.commands).toEqual([{ command: 'npm test', exit_code: 1 }]);
    expect(s.tool_calls).toEqual({ Bash: 1, Read: 1 });
    expect(s).toMatchObject({ tool_call_count: 2, errors: 1, warnings: 1, last_error: 'boom', unknown: 1 });
    expect(s.rate_limit).toEqual({ reset_at: 5, message: 'slow' });
    expect(s.permission_denials).toEqual([{ tool_name: 'Write' }]);
  });

  it('detects the same tool call repeated N times in a row', () => {
    const agg = new TranscriptAggregator({ loopThreshold: 3 });
    for (let i = 0; i < 3; i++) {
      agg.add(call('Bash', { command: 'npm test' }));
      agg.add({ kind: 'tool_result', id: 'x', output: 'fail', is_error: true });
      expect(agg.summary().loop === null).toBe(i < 2);
    }
    expect(agg.summary().loop).toEqual({ name: 'Bash', input: { command: 'npm test' }, count: 3 });
    const other = summarizeTranscript([call('A', 1), call('A', 2), call('A', 1)], { loopThreshold: 2 });
    expect(other.loop).toBeNull();
    expect(other.longest_repeat?.count).toBe(1);
  });
});
