/**
 * A recorded Claude Code stream for the fake agent CLI to replay: real `claude -p --output-format
 * stream-json --verbose` lines from ../shared/fixtures/agent-streams/ (beside the repository, as in
 * test/agents/parsers.test.ts). The session's `system/init` line comes first, then the turns are
 * repeated as often as asked, then the final `result` line.
 *
 * The repeated turns: the Write turn of claude-write.stream.jsonl (tool call, tool result, final
 * text) and the Bash turn of claude-bash-partial.stream.jsonl without its `stream_event` lines
 * (those only appear with --include-partial-messages, which Baton does not pass).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = new URL('../../../shared/fixtures/agent-streams/', import.meta.url);

export interface RecordedStream {
  /** the JSON file the fake agent reads: `{ head, body, tail }` (lines without newlines) */
  path: string;
  head: string;
  body: string[];
  tail: string;
}

function fixtureLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(new URL(file, FIXTURES), 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read the agent stream fixture ${file} (../shared beside the repository): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  return text.split('\n').filter((l) => l.trim() !== '');
}

const typeOf = (line: string): string => String((JSON.parse(line) as { type?: unknown }).type);

/** Writes the stream description into `dir` and returns it. */
export function writeRecordedStream(dir: string): RecordedStream {
  const write = fixtureLines('claude-write.stream.jsonl');
  const bash = fixtureLines('claude-bash-partial.stream.jsonl');
  const head = write[0];
  const tail = write.at(-1);
  if (head === undefined || tail === undefined || typeOf(head) !== 'system' || typeOf(tail) !== 'result') {
    throw new Error('claude-write.stream.jsonl: expected a system/init first line and a result last line');
  }
  const body = [...bash.slice(1, -1).filter((l) => typeOf(l) !== 'stream_event'), ...write.slice(1, -1)];
  const path = join(dir, 'stream.json');
  writeFileSync(path, JSON.stringify({ head, body, tail }));
  return { path, head, body, tail };
}

/** Bytes the fake agent prints for `lines` body lines (head, body cycled, tail; newline-terminated). */
export function streamBytes(s: RecordedStream, lines: number): number {
  const size = (l: string): number => Buffer.byteLength(l) + 1;
  const cycle = s.body.reduce((sum, l) => sum + size(l), 0);
  let bytes = size(s.head) + size(s.tail) + Math.floor(lines / s.body.length) * cycle;
  for (let i = 0; i < lines % s.body.length; i++) bytes += size(s.body[i] ?? '');
  return bytes;
}
