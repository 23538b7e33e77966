import { assertExhaustive } from '../../domain/assertExhaustive.ts';
import { asRecord } from './jsonFields.ts';
import type { TokenCounts } from './tokenCounts.ts';
import type { TranscriptEventData } from './transcriptEvent.ts';

export interface RenderOptions {
  /** paths under it are shown relative */
  cwd?: string;
  /** longest message text shown (characters) */
  maxText?: number;
}

const SUMMARY_KEYS = [
  'command',
  'cmd',
  'file_path',
  'path',
  'notebook_path',
  'pattern',
  'query',
  'url',
  'prompt',
];

/**
 * One readable line (a few for a long message) per event, for `baton logs`: `▸ tool Bash: npm test`,
 * `✎ wrote src/x.ts`, `$ npm test (exit 1)`, `usage: 1,234 in / 567 out, $0.0123`. No colour.
 */
export function renderEvent(e: TranscriptEventData, options: RenderOptions = {}): string {
  const maxText = options.maxText ?? 2000;
  switch (e.kind) {
    case 'session': {
      const parts = [`session ${e.session_id ?? '?'}`];
      if (e.model !== undefined) parts.push(`model ${e.model}`);
      if (e.cwd !== undefined) parts.push(`in ${e.cwd}`);
      return `● ${parts.join(' · ')}`;
    }
    case 'message':
      if (e.delta) return e.text;
      return e.role === 'user' ? `> ${clip(e.text, maxText)}` : clip(e.text, maxText);
    case 'reasoning':
      return e.delta ? e.text : `… ${clip(e.text, maxText)}`;
    case 'tool_call':
      return `▸ tool ${e.name}${summarizeInput(e.input, options.cwd)}`;
    case 'tool_result':
      return `◂ ${e.is_error ? 'error' : 'ok'}${e.name === undefined ? '' : ` ${e.name}`}: ${oneLine(e.output, 160) || '(no output)'}`;
    case 'file_change': {
      const verb = e.change === 'add' ? 'created' : e.change === 'delete' ? 'deleted' : 'wrote';
      return `✎ ${verb} ${relativePath(e.path, options.cwd)}`;
    }
    case 'command':
      return `$ ${oneLine(e.command, 200)}${e.exit_code === null ? '' : ` (exit ${e.exit_code})`}`;
    case 'plan':
      return `plan: ${e.items.map((i) => `[${i.done ? 'x' : ' '}] ${oneLine(i.text, 80)}`).join('; ')}`;
    case 'usage':
      return `usage${e.mode === 'cumulative' ? ' (total)' : ''}: ${formatUsage(e.tokens, e.cost_usd)}`;
    case 'rate_limited': {
      const until = e.reset_at === undefined ? '' : ` until ${new Date(e.reset_at).toISOString()}`;
      return `⏸ rate limited${until}: ${oneLine(e.message, 300)}`;
    }
    case 'error': {
      const status = e.status === undefined ? '' : ` ${e.status}`;
      const head = e.warning ? '⚠ warning' : `✖ error${status}${e.retryable ? ' (retryable)' : ''}`;
      return `${head}: ${oneLine(e.message, 300)}`;
    }
    case 'status':
      return `· ${e.status}${e.detail === undefined ? '' : `: ${oneLine(e.detail, 200)}`}`;
    case 'result': {
      const parts: string[] = [e.status];
      if (e.num_turns !== undefined) parts.push(`${e.num_turns} turn${e.num_turns === 1 ? '' : 's'}`);
      if (e.cost_usd !== undefined) parts.push(formatCost(e.cost_usd));
      if (e.permission_denials?.length) parts.push(`${e.permission_denials.length} permission denied`);
      const text = e.error ?? e.text;
      return `■ ${parts.join(', ')}${text === undefined || text === '' ? '' : `: ${oneLine(text, 300)}`}`;
    }
    case 'unknown':
      return `? ${e.type ?? 'line'}${e.text === undefined ? '' : `: ${oneLine(e.text, 200)}`}${e.reason === undefined ? '' : ` (${e.reason})`}`;
    default:
      return assertExhaustive(e, 'transcript event');
  }
}

export function formatUsage(t: TokenCounts, costUsd?: number): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  let s = `${fmt(t.input)} in / ${fmt(t.output)} out`;
  if (t.cached_input > 0) s += ` (${fmt(t.cached_input)} cached)`;
  return costUsd === undefined ? s : `${s}, ${formatCost(costUsd)}`;
}

export function formatCost(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/** `path` relative to `cwd` when it lies under it. */
export function relativePath(path: string, cwd?: string): string {
  if (cwd === undefined || cwd === '') return path;
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return path.startsWith(base) ? path.slice(base.length) || '.' : path;
}

function summarizeInput(input: unknown, cwd?: string): string {
  const r = asRecord(input);
  if (r && Array.isArray(r.changes)) {
    const paths = r.changes.map((c) => asRecord(c)?.path).filter((p): p is string => typeof p === 'string');
    if (paths.length > 0) return `: ${oneLine(paths.map((p) => relativePath(p, cwd)).join(', '), 200)}`;
  }
  if (!r) return input === undefined || input === null ? '' : `: ${oneLine(JSON.stringify(input), 120)}`;
  for (const key of SUMMARY_KEYS) {
    const v = r[key];
    if (typeof v === 'string' && v !== '')
      return `: ${oneLine(key.endsWith('path') ? relativePath(v, cwd) : v, 200)}`;
  }
  const json = JSON.stringify(r);
  return json === '{}' ? '' : `: ${oneLine(json, 120)}`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
