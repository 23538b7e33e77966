import { describe, expect, it } from 'vitest';
import { newCodexStreamState, parseCodexStream } from './parseCodexStream.ts';

const run = (lines: unknown[]) => {
  const state = newCodexStreamState();
  return lines.flatMap((l) => parseCodexStream(l, state));
};
const item = (phase: string, body: Record<string, unknown>) => ({ type: `item.${phase}`, item: body });

describe('parseCodexStream', () => {
  it('announces a command when it starts and reports it when it completes (failed → exit code, error)', () => {
    const cmd = { id: 'i1', type: 'command_execution', command: 'npm test' };
    expect(
      run([
        item('started', { ...cmd, aggregated_output: '', exit_code: null, status: 'in_progress' }),
        item('updated', { ...cmd, aggregated_output: 'partial', exit_code: null, status: 'in_progress' }),
        item('completed', { ...cmd, aggregated_output: 'FAIL', exit_code: 1, status: 'failed' }),
      ]),
    ).toEqual([
      { kind: 'tool_call', id: 'i1', name: 'shell', input: { command: 'npm test' } },
      { kind: 'status', status: 'shell updated' },
      { kind: 'tool_result', id: 'i1', name: 'shell', output: 'FAIL', is_error: true },
      { kind: 'command', command: 'npm test', exit_code: 1, output: 'FAIL', tool_call_id: 'i1' },
    ]);
  });

  it('announces an item that completes without having started; a declined command runs nothing', () => {
    expect(
      run([
        item('completed', {
          id: 'i2',
          type: 'command_execution',
          command: 'rm -rf /',
          status: 'declined',
          exit_code: null,
        }),
      ]),
    ).toEqual([
      { kind: 'tool_call', id: 'i2', name: 'shell', input: { command: 'rm -rf /' } },
      { kind: 'tool_result', id: 'i2', name: 'shell', output: 'declined', is_error: true },
    ]);
  });

  it('maps file changes (update → modify, delete), and none when the patch failed', () => {
    const changes = [
      { path: '/p/a.ts', kind: 'update' },
      { path: '/p/b.ts', kind: 'delete' },
    ];
    const events = run([item('completed', { id: 'i3', type: 'file_change', changes, status: 'completed' })]);
    expect(events.filter((e) => e.kind === 'file_change')).toEqual([
      { kind: 'file_change', path: '/p/a.ts', change: 'modify', tool_call_id: 'i3' },
      { kind: 'file_change', path: '/p/b.ts', change: 'delete', tool_call_id: 'i3' },
    ]);
    const failed = run([item('completed', { id: 'i4', type: 'file_change', changes, status: 'failed' })]);
    expect(failed.map((e) => e.kind)).toEqual(['tool_call', 'tool_result']);
    expect(failed[1]).toMatchObject({ is_error: true, output: 'update /p/a.ts\ndelete /p/b.ts' });
  });

  it('maps MCP calls, web searches, to-do lists and reasoning', () => {
    const mcp = { id: 'm', type: 'mcp_tool_call', server: 'fs', tool: 'read', arguments: { path: 'x' } };
    expect(
      run([
        item('started', { ...mcp, status: 'in_progress' }),
        item('completed', {
          ...mcp,
          status: 'completed',
          result: { content: [{ type: 'text', text: 'data' }] },
        }),
        item('completed', { ...mcp, id: 'm2', status: 'failed', error: { message: 'nope' } }),
        item('started', { id: 'w', type: 'web_search', query: 'vitest' }),
        item('completed', { id: 'w', type: 'web_search', query: 'vitest' }),
        item('updated', {
          id: 't',
          type: 'todo_list',
          items: [
            { text: 'a', completed: true },
            { text: 'b', completed: false },
          ],
        }),
        item('completed', { id: 'r', type: 'reasoning', text: 'think' }),
      ]),
    ).toEqual([
      { kind: 'tool_call', id: 'm', name: 'fs.read', input: { path: 'x' } },
      { kind: 'tool_result', id: 'm', name: 'fs.read', output: 'data', is_error: false },
      { kind: 'tool_call', id: 'm2', name: 'fs.read', input: { path: 'x' } },
      { kind: 'tool_result', id: 'm2', name: 'fs.read', output: 'nope', is_error: true },
      { kind: 'tool_call', id: 'w', name: 'web_search', input: { query: 'vitest' } },
      { kind: 'status', status: 'web_search completed' },
      {
        kind: 'plan',
        items: [
          { text: 'a', done: true },
          { text: 'b', done: false },
        ],
      },
      { kind: 'reasoning', text: 'think', delta: false },
    ]);
  });

  it('reports usage as the thread total and the last message as the result text', () => {
    expect(
      run([
        { type: 'thread.started', thread_id: 'th' },
        { type: 'turn.started' },
        item('completed', { id: 'a', type: 'agent_message', text: 'first' }),
        item('completed', { id: 'b', type: 'agent_message', text: 'last' }),
        {
          type: 'turn.completed',
          usage: { input_tokens: 50, cached_input_tokens: 30, output_tokens: 9, reasoning_output_tokens: 4 },
        },
      ]).slice(-2),
    ).toEqual([
      {
        kind: 'usage',
        mode: 'cumulative',
        tokens: { input: 50, output: 9, cached_input: 30, cache_write: 0, reasoning: 4 },
      },
      { kind: 'result', status: 'success', text: 'last', session_id: 'th' },
    ]);
  });

  it('turns usage-limit errors into rate_limited, and a bare turn.failed into an error and a result', () => {
    expect(run([{ type: 'error', message: "You've hit your usage limit. Try again in 3 hours." }])).toEqual([
      {
        kind: 'rate_limited',
        message: "You've hit your usage limit. Try again in 3 hours.",
        retry_after_ms: 10_800_000,
      },
    ]);
    expect(
      run([{ type: 'error', message: 'Reconnecting... 1/5 (stream disconnected before completion)' }]),
    ).toMatchObject([{ kind: 'error', retryable: true }]);
    expect(
      run([{ type: 'turn.started' }, { type: 'turn.failed', error: { message: 'status 500: oops' } }]).slice(
        1,
      ),
    ).toEqual([
      { kind: 'error', message: 'status 500: oops', status: 500, retryable: true },
      { kind: 'result', status: 'error', error: 'status 500: oops' },
    ]);
  });

  it('keeps unknown lines and item types', () => {
    expect(
      run([{ type: 'thread.forked' }, item('completed', { id: 'x', type: 'collab_call' }), 'x']),
    ).toEqual([
      { kind: 'unknown', type: 'thread.forked' },
      { kind: 'unknown', type: 'item/collab_call' },
      { kind: 'unknown', reason: 'not a JSON object' },
    ]);
  });
});
