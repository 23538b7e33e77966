import type { RunStatus } from '../domain/runStatus.ts';
import type { StepStatus } from '../domain/stepStatus.ts';

/** `850ms`, `3.2s`, `2m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Elapsed time of something that started at `start` and may not have finished. */
export function elapsed(start: number | null, end: number | null, now = Date.now()): string {
  return start === null ? '' : formatDuration((end ?? now) - start);
}

/** Local time `2025-01-31 14:05:09`. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/**
 * Abbreviated run ids: at least `min` characters, longer where needed to tell the listed ids apart
 * (UUIDv7 ids begin with the creation time, so runs of the same minute share their first 8 characters).
 */
export function abbreviateIds(ids: readonly string[], min = 8): Map<string, string> {
  const sorted = [...new Set(ids)].sort();
  const out = new Map<string, string>();
  const common = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  sorted.forEach((id, i) => {
    const prev = sorted[i - 1];
    const next = sorted[i + 1];
    let len = Math.max(min, prev ? common(prev, id) + 1 : 0, next ? common(next, id) + 1 : 0);
    if (id[len - 1] === '-') len++;
    out.set(id, id.slice(0, Math.min(len, id.length)));
  });
  return out;
}

const RUN_SYMBOLS: Record<RunStatus, string> = {
  queued: '○',
  running: '●',
  awaiting_approval: '⏸',
  paused: '‖',
  succeeded: '✔',
  failed: '✖',
  cancelled: '⊘',
};

const STEP_SYMBOLS: Record<StepStatus, string> = {
  pending: '·',
  queued: '○',
  running: '●',
  awaiting_approval: '⏸',
  succeeded: '✔',
  failed: '✖',
  skipped: '↷',
  cancelled: '⊘',
};

export function runSymbol(s: RunStatus): string {
  return RUN_SYMBOLS[s];
}

export function stepSymbol(s: StepStatus): string {
  return STEP_SYMBOLS[s];
}

/** A value on one line: strings as they are, everything else as JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v.includes('\n') ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}
