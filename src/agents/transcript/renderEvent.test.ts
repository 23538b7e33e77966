import { describe, expect, it } from 'vitest';
import { relativePath, renderEvent } from './renderEvent.ts';
import type { TranscriptEventData } from './transcriptEvent.ts';

const t = { input: 1234, output: 567, cached_input: 0, cache_write: 0, reasoning: 0 };

describe('renderEvent', () => {
  it.each<[TranscriptEventData, string]>([
    [{ kind: 'session', session_id: 's1', model: 'm', cwd: '/w' }, '● session s1 · model m · in /w'],
    [{ kind: 'message', role: 'assistant', text: 'Done.', delta: false }, 'Done.'],
    [{ kind: 'message', role: 'user', text: 'fix it', delta: false }, '> fix it'],
    [{ kind: 'message', role: 'assistant', text: 'par', delta: true }, 'par'],
    [{ kind: 'reasoning', text: 'hmm', delta: false }, '… hmm'],
    [
      { kind: 'tool_call', id: '1', name: 'Bash', input: { command: 'npm test', description: 'x' } },
      '▸ tool Bash: npm test',
    ],
    [
      { kind: 'tool_call', id: '1', name: 'Write', input: { file_path: '/w/src/x.ts' } },
      '▸ tool Write: src/x.ts',
    ],
    [
      {
        kind: 'tool_call',
        id: '1',
        name: 'apply_patch',
        input: { changes: [{ path: '/w/a' }, { path: '/b' }] },
      },
      '▸ tool apply_patch: a, /b',
    ],
    [{ kind: 'tool_call', id: '1', name: 'Task', input: { n: 1 } }, '▸ tool Task: {"n":1}'],
    [{ kind: 'tool_call', id: '1', name: 'LS', input: {} }, '▸ tool LS'],
    [
      { kind: 'tool_result', id: '1', name: 'Bash', output: 'line 1\nline 2', is_error: true },
      '◂ error Bash: line 1 ⏎ line 2',
    ],
    [{ kind: 'tool_result', id: '1', output: '', is_error: false }, '◂ ok: (no output)'],
    [{ kind: 'file_change', path: '/w/src/x.ts', change: 'modify' }, '✎ wrote src/x.ts'],
    [{ kind: 'file_change', path: '/w/n.ts', change: 'add' }, '✎ created n.ts'],
    [{ kind: 'file_change', path: '/elsewhere/o.ts', change: 'delete' }, '✎ deleted /elsewhere/o.ts'],
    [{ kind: 'command', command: 'npm test', exit_code: 1, output: '' }, '$ npm test (exit 1)'],
    [{ kind: 'command', command: 'sleep 9', exit_code: null, output: '' }, '$ sleep 9'],
    [
      {
        kind: 'plan',
        items: [
          { text: 'a', done: true },
          { text: 'b', done: false },
        ],
      },
      'plan: [x] a; [ ] b',
    ],
    [{ kind: 'usage', mode: 'delta', tokens: t, cost_usd: 0.0123 }, 'usage: 1,234 in / 567 out, $0.0123'],
    [
      { kind: 'usage', mode: 'cumulative', tokens: { ...t, cached_input: 1000 } },
      'usage (total): 1,234 in / 567 out (1,000 cached)',
    ],
    [
      { kind: 'rate_limited', message: 'limit', reset_at: Date.UTC(2026, 0, 2, 3) },
      '⏸ rate limited until 2026-01-02T03:00:00.000Z: limit',
    ],
    [{ kind: 'rate_limited', message: 'limit' }, '⏸ rate limited: limit'],
    [{ kind: 'error', message: 'bad', status: 400, retryable: false }, '✖ error 400: bad'],
    [{ kind: 'error', message: 'busy', status: 529, retryable: true }, '✖ error 529 (retryable): busy'],
    [{ kind: 'error', message: 'meh', retryable: false, warning: true }, '⚠ warning: meh'],
    [{ kind: 'status', status: 'requesting' }, '· requesting'],
    [
      { kind: 'result', status: 'success', num_turns: 2, cost_usd: 0.002, text: 'Done.' },
      '■ success, 2 turns, $0.0020: Done.',
    ],
    [
      { kind: 'result', status: 'error', error: 'boom', permission_denials: [{ tool_name: 'Write' }] },
      '■ error, 1 permission denied: boom',
    ],
    [{ kind: 'unknown', type: 'new_thing' }, '? new_thing'],
    [{ kind: 'unknown', text: 'plain', reason: 'not JSON' }, '? line: plain (not JSON)'],
  ])('%j', (event, line) => {
    expect(renderEvent(event, { cwd: '/w' })).toBe(line);
  });

  it('clips long text', () => {
    const long = renderEvent(
      { kind: 'message', role: 'assistant', text: 'x'.repeat(50), delta: false },
      { maxText: 10 },
    );
    expect(long).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('relativePath', () => {
  it('strips the cwd prefix only on a path boundary', () => {
    expect(relativePath('/w/a/b', '/w/')).toBe('a/b');
    expect(relativePath('/wx/a', '/w')).toBe('/wx/a');
    expect(relativePath('/w/', '/w')).toBe('.');
  });
});
