import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentRuntime, CliRuntimeId } from '../run/AgentRuntime.ts';
import { claudeCodeRuntime } from './claude-code/claudeCodeRuntime.ts';
import { codexRuntime } from './codex/codexRuntime.ts';
import type { HttpAgentRuntime, HttpRuntimeId } from '../run/HttpAgentRuntime.ts';
import { cursorRuntime } from './cursor/cursorRuntime.ts';
import { geminiCliRuntime } from './gemini-cli/geminiCliRuntime.ts';
import { julesRuntime } from './jules/julesRuntime.ts';
import { openAiCompatibleRuntime } from './openai-compatible/openAiCompatibleRuntime.ts';

/** The CLI agent runtimes by id. */
export const CLI_RUNTIMES: Readonly<Record<CliRuntimeId, AgentRuntime>> = {
  'claude-code': claudeCodeRuntime,
  codex: codexRuntime,
  'gemini-cli': geminiCliRuntime,
};

export function isCliRuntime(id: string): id is CliRuntimeId {
  return Object.hasOwn(CLI_RUNTIMES, id);
}

export function getCliRuntime(id: CliRuntimeId): AgentRuntime {
  return CLI_RUNTIMES[id];
}

/** The HTTP agent runtimes by id. */
export const HTTP_RUNTIMES: Readonly<Record<HttpRuntimeId, HttpAgentRuntime>> = {
  'openai-compatible': openAiCompatibleRuntime,
  jules: julesRuntime,
  cursor: cursorRuntime,
};

export function isHttpRuntime(id: string): id is HttpRuntimeId {
  return Object.hasOwn(HTTP_RUNTIMES, id);
}

/** Baton's own install: its node_modules/.bin holds the pinned CLIs. */
const BATON_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** `BATON_CLAUDE_CODE_BIN`, `BATON_CODEX_BIN`, `BATON_GEMINI_CLI_BIN`. */
export function binaryEnvVar(id: CliRuntimeId): string {
  return `BATON_${id.toUpperCase().replace(/-/g, '_')}_BIN`;
}

export type ResolvedBinary = { ok: true; path: string } | { ok: false; message: string };

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface ResolveBinaryOptions {
  /** where BATON_<RUNTIME>_BIN and PATH are read (default process.env) */
  env?: NodeJS.ProcessEnv;
  /** directories whose node_modules/.bin is searched first (default Baton's own root) */
  roots?: readonly string[];
}

/**
 * Finds a runtime's binary: `BATON_<RUNTIME>_BIN` when set (it must exist), else node_modules/.bin
 * of Baton's root, else PATH. A miss says what to install instead of failing with a spawn ENOENT.
 */
export function resolveBinary(runtime: AgentRuntime, opts: ResolveBinaryOptions = {}): ResolvedBinary {
  const env = opts.env ?? process.env;
  const { name, install } = runtime.binary;
  const override = env[binaryEnvVar(runtime.id)];
  if (override !== undefined && override !== '') {
    const path = isAbsolute(override) ? override : resolve(override);
    if (isExecutable(path)) return { ok: true, path };
    const why = `${binaryEnvVar(runtime.id)}=${override} is not an executable file`;
    return { ok: false, message: `${name} not found (${why}): ${install}` };
  }
  const dirs = [
    ...(opts.roots ?? [BATON_ROOT]).map((r) => join(r, 'node_modules', '.bin')),
    ...(env.PATH ?? '').split(delimiter).filter((d) => d !== ''),
  ];
  for (const dir of dirs) {
    const path = join(dir, name);
    if (isExecutable(path)) return { ok: true, path };
  }
  return { ok: false, message: `${name} not found: ${install}` };
}
