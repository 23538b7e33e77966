import { isAbsolute, join } from 'node:path';
import type { ApiKind } from './ModelRequest.ts';

/** A tool call in an API's own vocabulary; a string input is a freeform (custom) tool call. */
export interface NativeToolCall {
  name: string;
  input: Record<string, unknown> | string;
}

export type NeutralToolAction =
  | { write_file: { path: string; content: string } }
  | { shell: string }
  | { tool: { name: string; input: Record<string, unknown> | string } };

/** Claude's Write and Gemini's write_file want absolute paths: resolve against the client's cwd. */
function absolute(path: string, cwd: string | undefined): string {
  return isAbsolute(path) || cwd === undefined ? path : join(cwd, path);
}

/** Codex's apply_patch `Add File` hunk (Codex ends the file with a newline whatever the content). */
export function addFilePatch(path: string, content: string): string {
  const lines = content.endsWith('\n') ? content.slice(0, -1).split('\n') : content.split('\n');
  return ['*** Begin Patch', `*** Add File: ${path}`, ...lines.map((l) => `+${l}`), '*** End Patch', ''].join(
    '\n',
  );
}

/**
 * Maps a neutral action to the tool each client offers (names checked against the `tools` the
 * CLIs send): Claude Code `Write` / `Bash`; Codex `apply_patch` (freeform) / `exec_command`;
 * Gemini CLI `write_file` / `run_shell_command`; plain Chat Completions `write_file` / `shell`.
 */
export function nativeToolCall(
  api: ApiKind,
  action: NeutralToolAction,
  cwd: string | undefined,
): NativeToolCall {
  if ('tool' in action) return action.tool;
  if ('write_file' in action) {
    const { path, content } = action.write_file;
    switch (api) {
      case 'anthropic':
        return { name: 'Write', input: { file_path: absolute(path, cwd), content } };
      case 'responses':
        return { name: 'apply_patch', input: addFilePatch(path, content) };
      case 'gemini':
        return { name: 'write_file', input: { file_path: absolute(path, cwd), content } };
      case 'chat':
        return { name: 'write_file', input: { path, content } };
    }
  }
  const command = action.shell;
  switch (api) {
    case 'anthropic':
      return { name: 'Bash', input: { command, description: 'Run a shell command' } };
    case 'responses':
      return { name: 'exec_command', input: { cmd: command } };
    case 'gemini':
      return { name: 'run_shell_command', input: { command, description: 'Run a shell command' } };
    case 'chat':
      return { name: 'shell', input: { command } };
  }
}
