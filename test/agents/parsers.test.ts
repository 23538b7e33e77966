import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClaudeStreamParser } from '../../src/agents/runtimes/claude-code/parseClaudeStream.ts';
import { createCodexStreamParser } from '../../src/agents/runtimes/codex/parseCodexStream.ts';
import { parseGeminiJson } from '../../src/agents/runtimes/gemini-cli/parseGeminiJson.ts';
import { createGeminiStreamParser } from '../../src/agents/runtimes/gemini-cli/parseGeminiStream.ts';
import { renderEvent } from '../../src/agents/transcript/renderEvent.ts';
import { Transcriber } from '../../src/agents/transcript/transcriber.ts';
import {
  summarizeTranscript,
  type TranscriptSummary,
} from '../../src/agents/transcript/transcriptAggregator.ts';
import type {
  StreamParser,
  TranscriptEvent,
  TranscriptEventKind,
} from '../../src/agents/transcript/transcriptEvent.ts';

/** Real captured CLI output; CI clones the repository with ../shared beside it. */
const DIR = new URL('../../../shared/fixtures/agent-streams/', import.meta.url);
const FILES = readdirSync(DIR).sort();
const read = (file: string) => readFileSync(new URL(file, DIR), 'utf8');
const isDocument = (file: string) => file.endsWith('.json');

function parserFor(file: string): StreamParser {
  if (file.startsWith('claude-')) return createClaudeStreamParser();
  if (file.startsWith('codex-')) return createCodexStreamParser();
  if (file.startsWith('gemini-')) return createGeminiStreamParser();
  throw new Error(`no parser for fixture ${file}`);
}

function transcribe(file: string, chunks?: (string | Uint8Array)[], secrets?: string[]): TranscriptEvent[] {
  const text = read(file);
  const t = new Transcriber({ parse: parserFor(file), now: () => 1_000, ...(secrets ? { secrets } : {}) });
  if (isDocument(file)) return t.add(parseGeminiJson(text), JSON.parse(text));
  return [...(chunks ?? [text]).flatMap((c) => t.push(c)), ...t.end()];
}

const jsonLines = (file: string): unknown[] =>
  read(file)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);

describe('agent stream fixtures', () => {
  it('are found beside the repository', () => {
    expect(fileURLToPath(DIR)).toMatch(/\/shared\/fixtures\/agent-streams\/$/);
    expect(FILES.length).toBeGreaterThanOrEqual(15);
  });

  it('all have expectations below', () => {
    expect(FILES.filter((f) => !(f in FIXTURE_EXPECTATIONS))).toEqual([]);
  });

  describe.each(FILES)('%s', (file) => {
    it('gives every line at least one event, never throws, understands every type', () => {
      if (isDocument(file)) {
        expect(parseGeminiJson(read(file)).length).toBeGreaterThan(0);
      } else {
        const parse = parserFor(file);
        for (const line of jsonLines(file))
          expect(parse(line).length, JSON.stringify(line)).toBeGreaterThan(0);
      }
      const events = transcribe(file);
      expect(events.filter((e) => e.kind === 'unknown')).toEqual([]);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
      for (const e of events) {
        expect(e).toMatchObject({ v: 1, at: 1_000 });
        expect(e.raw).toBeTypeOf('object');
        expect(renderEvent(e)).toBeTypeOf('string');
      }
    });

    it('has the content the CLI reported', () => {
      const events = transcribe(file);
      const check = FIXTURE_EXPECTATIONS[file];
      expect(check).toBeDefined();
      check?.(events, summarizeTranscript(events));
    });

    it("adds up to the CLI's own totals", () => {
      const expected = totalsReportedIn(file);
      const summary = summarizeTranscript(transcribe(file));
      expect(summary.usage.input).toBe(expected.input);
      expect(summary.usage.output).toBe(expected.output);
      expect(summary.cost_usd).toBe(expected.cost);
    });

    // a single JSON document (gemini -o json) is parsed whole: only streams are chunked
    if (!isDocument(file))
      it('gives the same events however stdout is chunked', () => {
        const whole = transcribe(file);
        const text = read(file);
        fc.assert(
          fc.property(
            fc.array(fc.nat(), { maxLength: 40 }),
            fc.boolean(),
            fc.boolean(),
            (cuts, bytes, crlf) => {
              const source = crlf ? text.replace(/\n/g, '\r\n') : text;
              const data = bytes ? new TextEncoder().encode(source) : source;
              const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
              const chunks = [0, ...points].map((start, i) => data.slice(start, points[i] ?? data.length));
              expect(transcribe(file, chunks)).toEqual(whole);
            },
          ),
          { numRuns: 150 },
        );
      });
  });

  it('redacts secrets from events and raw lines', () => {
    const events = transcribe('claude-write.stream.jsonl', undefined, ['Hello from the fake model!']);
    expect(JSON.stringify(events)).not.toContain('Hello from the fake model');
    expect(JSON.stringify(events)).toContain('***');
  });
});

/** Token and cost totals as each CLI states them in its own last summary line. */
function totalsReportedIn(file: string): { input: number; output: number; cost: number | null } {
  if (isDocument(file)) {
    const models = Object.values((JSON.parse(read(file)) as GeminiDoc).stats.models);
    return {
      input: models.reduce((n, m) => n + m.tokens.prompt, 0),
      output: models.reduce((n, m) => n + m.tokens.candidates + m.tokens.thoughts, 0),
      cost: null,
    };
  }
  const lines = jsonLines(file) as Record<string, unknown>[];
  const last = (type: string) => lines.filter((l) => l.type === type).at(-1);
  if (file.startsWith('claude-')) {
    const result = last('result') as ClaudeResult | undefined;
    if (!result) return { input: 0, output: 0, cost: null };
    const models = Object.values(result.modelUsage);
    if (models.length === 0)
      return {
        input: result.usage.input_tokens,
        output: result.usage.output_tokens,
        cost: result.total_cost_usd,
      };
    return {
      input: models.reduce(
        (n, m) => n + m.inputTokens + m.cacheReadInputTokens + m.cacheCreationInputTokens,
        0,
      ),
      output: models.reduce((n, m) => n + m.outputTokens, 0),
      cost: result.total_cost_usd,
    };
  }
  if (file.startsWith('codex-')) {
    const usage = (
      last('turn.completed') as { usage: { input_tokens: number; output_tokens: number } } | undefined
    )?.usage;
    return { input: usage?.input_tokens ?? 0, output: usage?.output_tokens ?? 0, cost: null };
  }
  const stats = (last('result') as { stats: { input_tokens: number; output_tokens: number } }).stats;
  return { input: stats.input_tokens, output: stats.output_tokens, cost: null };
}

interface ClaudeResult {
  total_cost_usd: number;
  usage: { input_tokens: number; output_tokens: number };
  modelUsage: Record<
    string,
    {
      inputTokens: number;
      outputTokens: number;
      cacheReadInputTokens: number;
      cacheCreationInputTokens: number;
    }
  >;
}
interface GeminiDoc {
  stats: { models: Record<string, { tokens: { prompt: number; candidates: number; thoughts: number } }> };
}

type FixtureCheck = (events: TranscriptEvent[], summary: TranscriptSummary) => void;

function ofKind<K extends TranscriptEventKind>(events: TranscriptEvent[], kind: K) {
  return events.filter((e): e is Extract<TranscriptEvent, { kind: K }> => e.kind === kind);
}
const kinds = (events: TranscriptEvent[]) => events.map((e) => e.kind);
const HELLO = '/home/dev/project/hello.txt';
const tokens = (input: number, output: number) => ({
  input,
  output,
  cached_input: 0,
  cache_write: 0,
  reasoning: 0,
});

/** What each captured stream must turn into. */
const FIXTURE_EXPECTATIONS: Record<string, FixtureCheck> = {
  'claude-api-error400.stream.jsonl': (events, s) => {
    expect(kinds(events)).toEqual(['session', 'error', 'usage', 'result']);
    expect(ofKind(events, 'error')[0]).toMatchObject({
      status: 400,
      retryable: false,
      message: 'API Error: 400 fake error 400',
    });
    expect(ofKind(events, 'result')[0]).toMatchObject({
      status: 'error',
      error: 'API Error: 400 fake error 400',
      cost_usd: 0,
    });
    expect(s).toMatchObject({
      status: 'error',
      session_id: '9f4ba618-bc7d-4d03-8e17-83ecf8e001a6',
      errors: 1,
    });
  },
  'claude-api-retry401.stream.jsonl': (events, s) => {
    expect(ofKind(events, 'error')).toMatchObject([
      { status: 401, code: 'authentication_failed', retryable: false, attempt: 1 },
      { status: 401, code: 'authentication_failed', retryable: false, attempt: 2 },
    ]);
    expect(s).toMatchObject({
      status: 'incomplete',
      session_id: '8e95f355-d0f3-421e-b7dc-1c72ab86d1a5',
      cost_usd: null,
    });
  },
  'claude-bash-partial.stream.jsonl': (events, s) => {
    expect(ofKind(events, 'tool_call')).toMatchObject([
      { id: 'toolu_fake_1', name: 'Bash', input: { command: 'echo hi > bash.txt && ls' } },
    ]);
    expect(ofKind(events, 'command')).toEqual([
      expect.objectContaining({ command: 'echo hi > bash.txt && ls', exit_code: 0, output: 'bash.txt' }),
    ]);
    expect(ofKind(events, 'message').map((m) => [m.text, m.delta])).toEqual([
      ['Done: I created hello.txt.', true],
      ['Done: I created hello.txt.', false],
    ]);
    expect(s).toMatchObject({ status: 'success', final_text: 'Done: I created hello.txt.', num_turns: 2 });
    expect(s).toMatchObject({ usage: tokens(200, 40), cost_usd: 0.002, tool_calls: { Bash: 1 } });
  },
  'claude-max-turns.stream.jsonl': (events, s) => {
    expect(ofKind(events, 'result')).toMatchObject([
      { status: 'max_turns', error: 'Reached maximum number of turns (1)', num_turns: 2, cost_usd: 0.001 },
    ]);
    expect(s.files_changed).toEqual([{ path: HELLO, change: 'add' }]);
    expect(s).toMatchObject({ status: 'max_turns', usage: tokens(100, 20), errors: 0 });
  },
  'claude-stdin-streamjson.jsonl': (events, s) => {
    expect(ofKind(events, 'session')).toHaveLength(2);
    expect(ofKind(events, 'message').map((m) => `${m.role}: ${m.text}`)).toEqual([
      'user: first message',
      'assistant: Just text, no tools.',
      'user: second message',
      'assistant: Just text, no tools.',
    ]);
    expect(ofKind(events, 'result').map((r) => r.cost_usd)).toEqual([0.001, 0.002]);
    // two prompts in one process: the totals are the process's, not the sum of both results
    expect(s).toMatchObject({ status: 'success', usage: tokens(200, 40), cost_usd: 0.002, num_turns: 2 });
  },
  'claude-write.stream.jsonl': (events, s) => {
    expect(kinds(events)).toEqual([
      'session',
      'tool_call',
      'tool_result',
      'file_change',
      'message',
      'usage',
      'result',
    ]);
    expect(ofKind(events, 'session')[0]).toMatchObject({
      session_id: 'af0d47e4-403e-4211-9903-8af3ed60f33b',
      model: 'claude-opus-4-8[1m]',
      cwd: '/home/dev/project',
      agent_version: '2.1.197',
      permission_mode: 'acceptEdits',
    });
    expect(ofKind(events, 'file_change')).toEqual([
      expect.objectContaining({
        path: HELLO,
        change: 'add',
        diff: '@@ -0,0 +1,1 @@\n+Hello from the fake model!',
        tool_call_id: 'toolu_fake_1',
      }),
    ]);
    expect(ofKind(events, 'result')).toMatchObject([{ status: 'success', cost_usd: 0.002, num_turns: 2 }]);
    expect(s).toMatchObject({
      status: 'success',
      final_text: 'Done: I created hello.txt.',
      usage: tokens(200, 40),
    });
    expect(renderEvent(ofKind(events, 'file_change')[0]!, { cwd: '/home/dev/project' })).toBe(
      '✎ created hello.txt',
    );
  },
  'codex-apply-patch.jsonl': (events, s) => {
    expect(ofKind(events, 'file_change')).toEqual([expect.objectContaining({ path: HELLO, change: 'add' })]);
    expect(s).toMatchObject({ status: 'success', session_id: '01a200ca-5d0f-7a31-a7e0-ef9759868f1c' });
    expect(s).toMatchObject({
      final_text: 'Done: created hello.txt.',
      usage: tokens(200, 40),
      tool_calls: { apply_patch: 1 },
    });
  },
  'codex-error401.jsonl': (events, s) => {
    expect(ofKind(events, 'error')).toMatchObject([{ status: 401, retryable: false }]);
    expect(ofKind(events, 'result')).toMatchObject([{ status: 'error' }]);
    expect(s).toMatchObject({
      status: 'error',
      errors: 1,
      session_id: '01a200ca-8c02-70d1-9d5d-88875ec0b2b9',
    });
  },
  'codex-reasoning.jsonl': (events, s) => {
    expect(ofKind(events, 'reasoning')).toMatchObject([{ text: '**Planning** the change' }]);
    expect(s).toMatchObject({ status: 'success', final_text: 'Reasoned answer.', usage: tokens(100, 20) });
  },
  'codex-resume.jsonl': (_events, s) => {
    // the thread's running total: the resumed run's tokens include the first run's
    expect(s).toMatchObject({ session_id: '01a200ca-72d8-7dc0-baf5-c40511e1b199', usage: tokens(300, 60) });
  },
  'codex-shell.jsonl': (events, s) => {
    expect(ofKind(events, 'error')).toMatchObject([{ warning: true, retryable: false }]);
    expect(ofKind(events, 'error')[0]?.message).toMatch(/^Model metadata for `fake-model` not found/);
    expect(ofKind(events, 'command')).toEqual([
      expect.objectContaining({
        command: "/bin/bash -lc 'echo hi > hello.txt && ls'",
        exit_code: 0,
        output: 'hello.txt\n',
      }),
    ]);
    expect(s).toMatchObject({ status: 'success', errors: 0, warnings: 1, tool_calls: { shell: 1 } });
  },
  'gemini-error400.stream.jsonl': (events, s) => {
    expect(ofKind(events, 'error')).toMatchObject([{ status: 400, retryable: false }]);
    expect(ofKind(events, 'message')).toMatchObject([{ role: 'user', text: 'hello' }]);
    expect(s).toMatchObject({ status: 'error', model: 'fake-error400', final_text: null });
  },
  'gemini-json.json': (events, s) => {
    expect(kinds(events)).toEqual(['session', 'message', 'usage', 'result']);
    expect(s).toMatchObject({
      status: 'success',
      session_id: 'b9076084-9ecc-42e7-b899-799cc121cc89',
      model: 'fake-text',
    });
    expect(s).toMatchObject({ final_text: 'Done: created hello.txt.', usage: tokens(100, 20) });
  },
  'gemini-shell.stream.jsonl': (events, s) => {
    expect(ofKind(events, 'tool_call')).toMatchObject([
      { name: 'run_shell_command', input: { command: 'echo hi > hello.txt && ls' } },
    ]);
    expect(ofKind(events, 'command')).toEqual([
      expect.objectContaining({ command: 'echo hi > hello.txt && ls', output: 'hello.txt' }),
    ]);
    expect(s).toMatchObject({
      status: 'success',
      final_text: 'Done: created hello.txt.',
      usage: tokens(200, 40),
    });
  },
  'gemini-write.stream.jsonl': (events, s) => {
    expect(ofKind(events, 'file_change')).toEqual([expect.objectContaining({ path: HELLO })]);
    expect(s.files_changed).toEqual([{ path: HELLO, change: 'modify' }]);
    // two models used: their tokens add up
    expect(s).toMatchObject({
      status: 'success',
      session_id: '16da299d-6895-47a5-92e2-5be5d3c08f92',
      usage: tokens(300, 60),
    });
  },
};
