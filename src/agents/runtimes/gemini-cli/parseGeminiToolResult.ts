import { excerpt } from '../../transcript/excerpt.ts';
import { asRecord, asString, opt, type JsonRecord } from '../../transcript/jsonFields.ts';
import type { EventDraft } from '../../transcript/transcriptEvent.ts';
import type { GeminiStreamState } from './parseGeminiStream.ts';

const FILE_TOOLS = new Set(['write_file', 'replace']);

/**
 * A tool_result → tool_result, plus a file_change for a successful write_file / replace (`add` when
 * the output says the file was created, else `modify`; the output as diff when it is one) and a
 * command for run_shell_command (exit code only when the output states it).
 */
export function parseGeminiToolResult(j: JsonRecord, state: GeminiStreamState): EventDraft[] {
  const id = asString(j.tool_id) ?? '';
  const call = state.tools.get(id);
  state.tools.delete(id);
  const isError = j.status === 'error';
  const output = asString(j.output) ?? asString(asRecord(j.error)?.message) ?? '';
  const out: EventDraft[] = [
    { kind: 'tool_result', id, ...opt('name', call?.name), output: excerpt(output), is_error: isError },
  ];
  const input = asRecord(call?.input);
  if (!isError && call && FILE_TOOLS.has(call.name)) {
    const path = asString(input?.file_path) ?? asString(input?.absolute_path);
    if (path !== undefined) {
      const created = call.name === 'write_file' && /\b(?:created|new file)\b/i.test(output);
      const diff = /^(?:---|\+\+\+|@@|Index:)/m.test(output) ? excerpt(output, 20_000) : undefined;
      out.push({
        kind: 'file_change',
        path,
        change: created ? 'add' : 'modify',
        ...opt('diff', diff),
        tool_call_id: id,
      });
    }
  }
  if (call?.name === 'run_shell_command') {
    const exit = /\bExit Code:\s*(-?\d+)/i.exec(output);
    out.push({
      kind: 'command',
      command: asString(input?.command) ?? '',
      exit_code: exit?.[1] === undefined ? null : Number(exit[1]),
      output: excerpt(output),
      tool_call_id: id,
    });
  }
  return out;
}
