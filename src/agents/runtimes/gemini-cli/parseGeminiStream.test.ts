import { describe, expect, it } from 'vitest';
import { parseGeminiJson } from './parseGeminiJson.ts';
import { newGeminiStreamState, parseGeminiStream } from './parseGeminiStream.ts';

const run = (lines: unknown[]) => {
  const state = newGeminiStreamState();
  return lines.flatMap((l) => parseGeminiStream(l, state));
};

describe('parseGeminiStream', () => {
  it('maps replace to a modify with the diff output, and a failed tool to an error result only', () => {
    const diff = '--- a.ts\n+++ a.ts\n@@ -1 +1 @@\n-a\n+b';
    expect(
      run([
        {
          type: 'tool_use',
          tool_name: 'replace',
          tool_id: 'r1',
          parameters: { file_path: '/p/a.ts', old_string: 'a' },
        },
        { type: 'tool_result', tool_id: 'r1', status: 'success', output: diff },
        { type: 'tool_use', tool_name: 'write_file', tool_id: 'w1', parameters: { file_path: '/p/b.ts' } },
        { type: 'tool_result', tool_id: 'w1', status: 'error', error: { type: 'X', message: 'disk full' } },
      ]).slice(1),
    ).toEqual([
      { kind: 'tool_result', id: 'r1', name: 'replace', output: diff, is_error: false },
      { kind: 'file_change', path: '/p/a.ts', change: 'modify', diff, tool_call_id: 'r1' },
      { kind: 'tool_call', id: 'w1', name: 'write_file', input: { file_path: '/p/b.ts' } },
      { kind: 'tool_result', id: 'w1', name: 'write_file', output: 'disk full', is_error: true },
    ]);
  });

  it('reads an exit code from shell output when it is there', () => {
    const events = run([
      { type: 'tool_use', tool_name: 'run_shell_command', tool_id: 's', parameters: { command: 'false' } },
      { type: 'tool_result', tool_id: 's', status: 'success', output: 'Exit Code: 1' },
    ]);
    expect(events.at(-1)).toEqual({
      kind: 'command',
      command: 'false',
      exit_code: 1,
      output: 'Exit Code: 1',
      tool_call_id: 's',
    });
  });

  it('maps error events by severity, 429 to rate_limited, and a turn-limited result to max_turns', () => {
    const events = run([
      { type: 'error', severity: 'warning', message: 'Loop detected' },
      {
        type: 'error',
        severity: 'error',
        message: '{"error":{"code":429,"message":"Please retry in 20s."}}',
      },
      {
        type: 'result',
        status: 'error',
        error: { type: 'FatalTurnLimitedError', message: 'Reached max session turns for this session.' },
        stats: { input_tokens: 10, output_tokens: 2, cached: 4, duration_ms: 9 },
      },
    ]);
    expect(events).toEqual([
      { kind: 'error', message: 'Loop detected', retryable: false, warning: true },
      {
        kind: 'rate_limited',
        message: '{"error":{"code":429,"message":"Please retry in 20s."}}',
        status: 429,
        retry_after_ms: 20_000,
      },
      {
        kind: 'usage',
        mode: 'cumulative',
        tokens: { input: 10, output: 2, cached_input: 4, cache_write: 0, reasoning: 0 },
      },
      {
        kind: 'result',
        status: 'max_turns',
        error: 'Reached max session turns for this session.',
        duration_ms: 9,
      },
    ]);
  });

  it('joins assistant deltas into the result text, restarting after a tool call', () => {
    const events = run([
      { type: 'init', session_id: 's1', model: 'm' },
      { type: 'message', role: 'assistant', content: 'Let me ', delta: true },
      { type: 'tool_use', tool_name: 'glob', tool_id: 'g', parameters: {} },
      { type: 'message', role: 'assistant', content: 'Do', delta: true },
      { type: 'message', role: 'assistant', content: 'ne', delta: true },
      { type: 'result', status: 'success' },
    ]);
    expect(events.at(-1)).toEqual({ kind: 'result', status: 'success', text: 'Done', session_id: 's1' });
  });

  it('keeps unknown lines', () => {
    expect(run([{ type: 'heartbeat' }, 3])).toEqual([
      { kind: 'unknown', type: 'heartbeat' },
      { kind: 'unknown', reason: 'not a JSON object' },
    ]);
  });
});

describe('parseGeminiJson', () => {
  it('maps an error document with warnings', () => {
    expect(
      parseGeminiJson(
        JSON.stringify({
          session_id: 's',
          error: { type: 'FatalAuthenticationError', message: 'API key not valid (status 400)', code: 41 },
          warnings: ['slow'],
        }),
      ),
    ).toEqual([
      { kind: 'session', session_id: 's' },
      { kind: 'error', message: 'slow', retryable: false, warning: true },
      {
        kind: 'error',
        message: 'API key not valid (status 400)',
        status: 400,
        code: 'FatalAuthenticationError',
        retryable: false,
      },
      { kind: 'result', status: 'error', error: 'API key not valid (status 400)', session_id: 's' },
    ]);
  });

  it('counts thoughts as output and never throws', () => {
    const doc = {
      response: 'r',
      stats: { models: { a: { tokens: { prompt: 10, candidates: 3, thoughts: 2, cached: 1 } } } },
    };
    expect(parseGeminiJson(doc)).toContainEqual({
      kind: 'usage',
      mode: 'cumulative',
      tokens: { input: 10, output: 5, cached_input: 1, cache_write: 0, reasoning: 2 },
    });
    expect(parseGeminiJson('oops')).toEqual([{ kind: 'unknown', text: 'oops', reason: 'not JSON' }]);
    expect(parseGeminiJson([])).toEqual([{ kind: 'unknown', reason: 'not a JSON object' }]);
  });
});
