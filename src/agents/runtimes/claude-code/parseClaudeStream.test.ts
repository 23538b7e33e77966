import { describe, expect, it } from 'vitest';
import { newClaudeStreamState, parseClaudeStream, type ClaudeStreamState } from './parseClaudeStream.ts';

const assistant = (content: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'assistant',
  message: { id: 'msg_1', role: 'assistant', content },
  ...extra,
});
const user = (content: unknown, toolUseResult?: unknown) => ({
  type: 'user',
  message: { role: 'user', content },
  ...(toolUseResult === undefined ? {} : { tool_use_result: toolUseResult }),
});
const run = (lines: unknown[], state: ClaudeStreamState = newClaudeStreamState()) =>
  lines.flatMap((l) => parseClaudeStream(l, state));

describe('parseClaudeStream', () => {
  it('maps an Edit with its structured patch to a file_change with a diff', () => {
    const events = run([
      assistant([
        {
          type: 'tool_use',
          id: 't1',
          name: 'Edit',
          input: { file_path: '/p/a.ts', old_string: 'a', new_string: 'b' },
        },
      ]),
      user([{ type: 'tool_result', tool_use_id: 't1', content: 'The file /p/a.ts has been updated.' }], {
        filePath: '/p/a.ts',
        oldString: 'a',
        newString: 'b',
        structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-a', '+b'] }],
      }),
    ]);
    expect(events).toEqual([
      {
        kind: 'tool_call',
        id: 't1',
        name: 'Edit',
        input: { file_path: '/p/a.ts', old_string: 'a', new_string: 'b' },
      },
      {
        kind: 'tool_result',
        id: 't1',
        name: 'Edit',
        output: 'The file /p/a.ts has been updated.',
        is_error: false,
      },
      {
        kind: 'file_change',
        path: '/p/a.ts',
        change: 'modify',
        diff: '@@ -1,1 +1,1 @@\n-a\n+b',
        tool_call_id: 't1',
      },
    ]);
  });

  it('synthesizes the diff of a created file and skips failed or staged writes', () => {
    const created = run([
      assistant([
        { type: 'tool_use', id: 't1', name: 'Write', input: { file_path: '/p/n.txt', content: 'x\ny\n' } },
      ]),
      user([{ type: 'tool_result', tool_use_id: 't1', content: 'File created successfully' }], {
        type: 'create',
        filePath: '/p/n.txt',
        content: 'x\ny\n',
        structuredPatch: [],
      }),
    ]);
    expect(created.at(-1)).toEqual({
      kind: 'file_change',
      path: '/p/n.txt',
      change: 'add',
      diff: '@@ -0,0 +1,2 @@\n+x\n+y',
      tool_call_id: 't1',
    });
    const failed = run([
      assistant([{ type: 'tool_use', id: 't2', name: 'Write', input: { file_path: '/etc/x' } }]),
      user([{ type: 'tool_result', tool_use_id: 't2', content: 'denied', is_error: true }]),
    ]);
    expect(failed.map((e) => e.kind)).toEqual(['tool_call', 'tool_result']);
    const staged = run([
      assistant([{ type: 'tool_use', id: 't3', name: 'Write', input: { file_path: '/p/s' } }]),
      user([{ type: 'tool_result', tool_use_id: 't3', content: 'held' }], {
        type: 'update',
        filePath: '/p/s',
        staged: true,
      }),
    ]);
    expect(staged.map((e) => e.kind)).toEqual(['tool_call', 'tool_result']);
  });

  it('falls back to the tool input when tool_use_result is missing', () => {
    const events = run([
      assistant([
        { type: 'tool_use', id: 't1', name: 'MultiEdit', input: { file_path: '/p/m.ts', edits: [] } },
      ]),
      user([{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }]),
    ]);
    expect(events.at(-1)).toEqual({
      kind: 'file_change',
      path: '/p/m.ts',
      change: 'modify',
      tool_call_id: 't1',
    });
  });

  it('gives a Bash command its exit code: 0 on success, N from "Exit code N", null when interrupted', () => {
    const state = newClaudeStreamState();
    const bash = (id: string) =>
      assistant([{ type: 'tool_use', id, name: 'Bash', input: { command: 'npm test' } }]);
    const failed = run(
      [
        bash('b1'),
        user([{ type: 'tool_result', tool_use_id: 'b1', content: 'Exit code 2\nnope', is_error: true }]),
      ],
      state,
    );
    expect(failed.at(-1)).toEqual({
      kind: 'command',
      command: 'npm test',
      exit_code: 2,
      output: 'Exit code 2\nnope',
      tool_call_id: 'b1',
    });
    const ok = run(
      [
        bash('b2'),
        user([{ type: 'tool_result', tool_use_id: 'b2', content: 'x' }], {
          stdout: 'out',
          stderr: 'err',
          interrupted: false,
        }),
      ],
      state,
    );
    expect(ok.at(-1)).toMatchObject({ exit_code: 0, output: 'out\nerr' });
    const cut = run(
      [
        bash('b3'),
        user([{ type: 'tool_result', tool_use_id: 'b3', content: '' }], {
          stdout: '',
          stderr: '',
          interrupted: true,
        }),
      ],
      state,
    );
    expect(cut.at(-1)).toMatchObject({ exit_code: null });
    expect(state.tools.size).toBe(0);
  });

  it('maps thinking, TodoWrite plans, text blocks in user content and unknown blocks', () => {
    const events = run([
      assistant([
        { type: 'thinking', thinking: 'let me see' },
        { type: 'redacted_thinking', data: 'xx' },
        {
          type: 'tool_use',
          id: 'td',
          name: 'TodoWrite',
          input: {
            todos: [
              { content: 'a', status: 'completed' },
              { content: 'b', status: 'pending' },
            ],
          },
        },
        { type: 'brand_new_block' },
      ]),
      user([
        { type: 'text', text: 'more' },
        { type: 'image' },
        { type: 'tool_result', tool_use_id: 'td', content: [{ type: 'text', text: 'ok' }] },
      ]),
    ]);
    expect(events).toEqual([
      { kind: 'reasoning', text: 'let me see', delta: false },
      { kind: 'reasoning', text: '[redacted thinking]', delta: false },
      expect.objectContaining({ kind: 'tool_call', name: 'TodoWrite' }),
      {
        kind: 'plan',
        items: [
          { text: 'a', done: true },
          { text: 'b', done: false },
        ],
      },
      { kind: 'unknown', type: 'assistant/brand_new_block' },
      { kind: 'message', role: 'user', text: 'more', delta: false },
      { kind: 'unknown', type: 'user/image' },
      { kind: 'tool_result', id: 'td', name: 'TodoWrite', output: 'ok', is_error: false },
    ]);
  });

  it('turns rate limits into rate_limited with the reset time', () => {
    expect(
      run([
        {
          type: 'rate_limit_event',
          rate_limit_info: { status: 'rejected', resetsAt: 1763483205, rateLimitType: 'five_hour' },
        },
      ]),
    ).toEqual([
      {
        kind: 'rate_limited',
        message: 'rate limit reached (five_hour)',
        limit: 'five_hour',
        reset_at: 1_763_483_205_000,
      },
    ]);
    expect(
      run([
        {
          type: 'rate_limit_event',
          rate_limit_info: { status: 'allowed_warning', rateLimitType: 'seven_day', utilization: 0.8 },
        },
      ]),
    ).toEqual([{ kind: 'status', status: 'rate_limit allowed_warning', detail: 'seven_day, 80% used' }]);
    expect(
      run([
        {
          type: 'system',
          subtype: 'api_retry',
          attempt: 1,
          max_retries: 10,
          retry_delay_ms: 1500.4,
          error_status: 429,
          error: 'rate_limit',
        },
      ]),
    ).toEqual([
      {
        kind: 'rate_limited',
        message: 'rate_limit (HTTP 429), retry 1/10',
        status: 429,
        retry_after_ms: 1500,
      },
    ]);
    expect(
      run([
        assistant([{ type: 'text', text: 'Claude AI usage limit reached|1763483205' }], {
          error: 'rate_limit',
        }),
      ]),
    ).toEqual([
      {
        kind: 'rate_limited',
        message: 'Claude AI usage limit reached|1763483205',
        reset_at: 1_763_483_205_000,
      },
    ]);
  });

  it('maps result subtypes and keeps permission denials', () => {
    const result = (extra: Record<string, unknown>) =>
      run([{ type: 'result', num_turns: 3, total_cost_usd: 0.5, ...extra }]);
    expect(result({ subtype: 'error_max_budget_usd', is_error: true }).at(-1)).toMatchObject({
      kind: 'result',
      status: 'max_budget',
      error: 'error_max_budget_usd',
      cost_usd: 0.5,
    });
    const during = result({ subtype: 'error_during_execution', is_error: true, errors: ['tool crashed'] });
    expect(during.map((e) => e.kind)).toEqual(['error', 'usage', 'result']);
    expect(during.at(-1)).toMatchObject({ status: 'error', error: 'tool crashed' });
    const denied = result({
      subtype: 'success',
      is_error: false,
      result: 'ok',
      permission_denials: [
        { tool_name: 'Write', tool_use_id: 't9', tool_input: { file_path: '/etc/passwd' } },
      ],
    });
    expect(denied.at(-1)).toMatchObject({
      status: 'success',
      text: 'ok',
      permission_denials: [{ tool_name: 'Write', tool_call_id: 't9', input: { file_path: '/etc/passwd' } }],
    });
    expect(denied.at(-1)).not.toHaveProperty('error');
  });

  it('counts cache reads and writes as input and sums result usages when modelUsage is missing', () => {
    const state = newClaudeStreamState();
    const usage = {
      input_tokens: 10,
      output_tokens: 5,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 20,
    };
    run([{ type: 'result', subtype: 'success', usage }], state);
    const [second] = run([{ type: 'result', subtype: 'success', usage }], state);
    expect(second).toEqual({
      kind: 'usage',
      mode: 'cumulative',
      tokens: { input: 260, output: 10, cached_input: 200, cache_write: 40, reasoning: 0 },
    });
  });

  it('keeps what it does not know, without throwing', () => {
    expect(run([{ type: 'system', subtype: 'brand_new' }])).toEqual([
      { kind: 'unknown', type: 'system/brand_new' },
    ]);
    expect(run([{ type: 'tool_progress' }])).toEqual([{ kind: 'unknown', type: 'tool_progress' }]);
    expect(run([{ no: 'type' }])).toEqual([{ kind: 'unknown' }]);
    expect(run([[1, 2], 'text', null])).toEqual([
      { kind: 'unknown', reason: 'not a JSON object' },
      { kind: 'unknown', reason: 'not a JSON object' },
      { kind: 'unknown', reason: 'not a JSON object' },
    ]);
    expect(
      run([{ type: 'assistant' }, { type: 'user', message: { content: [] } }, { type: 'stream_event' }]),
    ).toEqual([
      { kind: 'status', status: 'empty assistant message' },
      { kind: 'status', status: 'empty user message' },
      { kind: 'status', status: 'stream ?' },
    ]);
  });
});
