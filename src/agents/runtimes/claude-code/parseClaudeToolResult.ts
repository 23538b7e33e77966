import { excerpt } from '../../transcript/excerpt.ts';
import { asArray, asRecord, asRecords, asString, opt, type JsonRecord } from '../../transcript/jsonFields.ts';
import type { EventDraft, FileChangeKind } from '../../transcript/transcriptEvent.ts';
import type { ClaudeStreamState } from './parseClaudeStream.ts';

const EDIT_TOOLS = new Set(['Edit', 'MultiEdit', 'NotebookEdit']);
const DIFF_CHARS = 20_000;

/**
 * A tool_result block → tool_result, plus what it did: a file_change for a successful
 * Write / Edit / MultiEdit / NotebookEdit (from `tool_use_result` when present: create vs update,
 * the patch), a command for Bash (exit code from "Exit code N" when it failed).
 */
export function parseClaudeToolResult(
  block: JsonRecord,
  detail: JsonRecord | undefined,
  state: ClaudeStreamState,
): EventDraft[] {
  const id = asString(block.tool_use_id) ?? '';
  const call = state.tools.get(id);
  state.tools.delete(id);
  const isError = block.is_error === true;
  const output = contentText(block.content);
  const out: EventDraft[] = [
    { kind: 'tool_result', id, ...opt('name', call?.name), output: excerpt(output), is_error: isError },
  ];
  const input = asRecord(call?.input);
  if (!isError && detail?.staged !== true) {
    const change = fileChange(call?.name, input, detail, output);
    if (change) out.push({ ...change, ...(id === '' ? {} : { tool_call_id: id }) });
  }
  if (call?.name === 'Bash') {
    const stdout = asString(detail?.stdout);
    const stderr = asString(detail?.stderr);
    const text = stdout === undefined ? output : [stdout, stderr].filter(Boolean).join('\n');
    const failed = isError ? /^Exit code (\d+)/m.exec(output) : null;
    const unknownExit = isError || detail?.interrupted === true || detail?.backgroundTaskId !== undefined;
    out.push({
      kind: 'command',
      command: asString(input?.command) ?? '',
      exit_code: failed?.[1] !== undefined ? Number(failed[1]) : unknownExit ? null : 0,
      output: excerpt(text),
      ...(id === '' ? {} : { tool_call_id: id }),
    });
  }
  return out;
}

function fileChange(
  tool: string | undefined,
  input: JsonRecord | undefined,
  detail: JsonRecord | undefined,
  output: string,
): { kind: 'file_change'; path: string; change: FileChangeKind; diff?: string } | null {
  const type = asString(detail?.type);
  const isWrite = tool === 'Write' || type === 'create' || type === 'update';
  const isEdit =
    (tool !== undefined && EDIT_TOOLS.has(tool)) ||
    (tool === undefined &&
      asString(detail?.filePath) !== undefined &&
      Array.isArray(detail?.structuredPatch));
  if (!isWrite && !isEdit) return null;
  const path = asString(detail?.filePath) ?? asString(input?.file_path) ?? asString(input?.notebook_path);
  if (path === undefined) return null;
  const created = type === 'create' || (type === undefined && isWrite && /^File created/.test(output));
  const diff = diffOf(detail, created);
  return { kind: 'file_change', path, change: created ? 'add' : 'modify', ...opt('diff', diff) };
}

/** The unified diff of a write or edit: gitDiff.patch, else the structured patch, else a new file's lines. */
function diffOf(detail: JsonRecord | undefined, created: boolean): string | undefined {
  if (!detail) return undefined;
  const git = asString(asRecord(detail.gitDiff)?.patch);
  if (git) return excerpt(git, DIFF_CHARS);
  const hunks = asRecords(detail.structuredPatch).map((h) => {
    const lines = asArray(h.lines).filter((l): l is string => typeof l === 'string');
    const range = (start: unknown, n: unknown) => `${Number(start) || 0},${Number(n) || 0}`;
    return `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n${lines.join('\n')}`;
  });
  if (hunks.length > 0) return excerpt(hunks.join('\n'), DIFF_CHARS);
  const content = asString(detail.content);
  if (!created || content === undefined) return undefined;
  const lines = content.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return excerpt(`@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`, DIFF_CHARS);
}

/** A tool_result's content: a string, or text blocks (others named by type). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return asArray(content)
    .map((b) => {
      const r = asRecord(b);
      return asString(r?.text) ?? `[${asString(r?.type) ?? 'content'}]`;
    })
    .join('\n');
}
