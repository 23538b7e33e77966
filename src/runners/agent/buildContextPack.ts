import { constants } from 'node:fs';
import { open, lstat, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, posix, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { RoleSpec } from '../../domain/agents/roleSchema.ts';

/** One entry of a role's `context_packs`. */
export type ContextPack = RoleSpec['context_packs'][number];

/** The runs before `runId` of its workflow in its workspace, newest first. */
export interface RecentRunsQuery {
  runId: string;
  limit: number;
  /** at most this many bytes of each failed step's log (its end) */
  logTailBytes: number;
}

export interface RecentFailedStep {
  stepKey: string;
  /** the attempt whose log tail this is (0: the step never started) */
  attempt: number;
  /** the step's error message (secrets redacted) */
  error: string | null;
  /** the end of the attempt's log, UTF-8, escape sequences removed, secrets redacted */
  logTail: string;
  /** earlier output of the attempt was left out */
  logTruncated: boolean;
}

export interface RecentRunSummary {
  runId: string;
  status: string;
  createdAt: number;
  finishedAt: number | null;
  /** the run's error message (secrets redacted) */
  error: string | null;
  failedSteps: RecentFailedStep[];
  /** failed steps not listed (beyond the implementation's limit) */
  moreFailedSteps: number;
}

/** The recent-runs port of `{recent_runs: N}` packs (store-backed: recentRunsFromStore). */
export interface RecentRuns {
  recentRuns(q: RecentRunsQuery, signal: AbortSignal): Promise<RecentRunSummary[]>;
}

export interface ContextPackLimits {
  /** bytes of one file (its beginning is kept) */
  maxFileBytes: number;
  /** bytes of all the files, decision records and run summaries together */
  maxTotalBytes: number;
  /** files and decision records included */
  maxFiles: number;
  /** bytes of each failed step's log tail in `recent_runs` */
  logTailBytes: number;
}

export const DEFAULT_CONTEXT_LIMITS: Readonly<ContextPackLimits> = Object.freeze({
  maxFileBytes: 64 * 1024,
  maxTotalBytes: 256 * 1024,
  maxFiles: 50,
  logTailBytes: 4 * 1024,
});

export interface BuildContextPackInput {
  packs: readonly ContextPack[];
  /** the step's working directory (the repository): no file outside it is read */
  cwd: string;
  /** the run the step belongs to (`recent_runs` are the runs of its workflow before it) */
  runId: string;
  /** without it, `recent_runs` packs are reported as unavailable */
  recentRuns?: RecentRuns | undefined;
  limits?: Partial<ContextPackLimits> | undefined;
}

/** Never looked into, whatever the pattern (repository internals, dependencies). */
const IGNORED = ['**/.git/**', '**/node_modules/**'];
const IGNORED_SEGMENT = /(^|\/)(\.git|node_modules|\.)(\/|$)/;
/** Bytes looked at for a NUL byte (git's binary heuristic). */
const BINARY_SNIFF_BYTES = 8000;
/** Names listed in "Left out" before summing up the rest. */
const MAX_LISTED = 20;

/**
 * The context of a role's `context_packs`, as markdown for the prompt's `{{ context }}`: each file
 * (`files` globs, `decisions` records) under a `### path` heading in a fenced block, in pack order
 * (each pattern's matches sorted, a file only once), then summaries of the recent runs of the
 * workflow. A truncated file says so in its heading; a final `### Left out` section lists what was
 * skipped or rejected (binary files, caps reached, unsafe patterns, patterns matching nothing). Files are
 * read only inside `cwd` (absolute, `..` and negated patterns are rejected, symbolic links that
 * lead outside are skipped, `.git` and `node_modules` are never searched); binary files are
 * skipped. Problems with a pack become notes, never errors: only an aborted `signal` throws.
 * Empty string when there are no packs.
 */
export async function buildContextPack(input: BuildContextPackInput, signal: AbortSignal): Promise<string> {
  signal.throwIfAborted();
  if (input.packs.length === 0) return '';
  const given = Object.entries(input.limits ?? {}).filter(([, v]) => v !== undefined);
  const limits: ContextPackLimits = { ...DEFAULT_CONTEXT_LIMITS, ...Object.fromEntries(given) };
  const b = new PackBuilder(limits);
  let root: string | null | undefined;
  const repoRoot = async (): Promise<string | null> => {
    if (root === undefined) {
      try {
        root = await realpath(input.cwd);
        if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
      } catch {
        root = null;
        b.note(`files: the working directory ${input.cwd} cannot be read`);
      }
    }
    return root;
  };
  for (const pack of input.packs) {
    signal.throwIfAborted();
    if ('files' in pack) {
      const dir = await repoRoot();
      if (dir !== null) for (const p of pack.files) await addGlob(b, dir, p, 'file', signal);
    } else if ('decisions' in pack) {
      const dir = await repoRoot();
      if (dir !== null) await addGlob(b, dir, pack.decisions, 'decision record', signal);
    } else {
      await addRecentRuns(b, input, pack.recent_runs, limits.logTailBytes, signal);
    }
  }
  return b.render();
}

class PackBuilder {
  private readonly sections: string[] = [];
  private readonly notes: string[] = [];
  private readonly seen = new Set<string>();
  private files = 0;
  private bytes = 0;
  private readonly overFiles: string[] = [];
  private readonly overBytes: string[] = [];

  constructor(readonly limits: ContextPackLimits) {}

  note(s: string): void {
    this.notes.push(printable(s));
  }

  /** false when the file was already included (another pattern or pack matched it) */
  claim(path: string): boolean {
    if (this.seen.has(path)) return false;
    this.seen.add(path);
    return true;
  }

  /** bytes a file may still take; 0 when it must be left out (and why is recorded) */
  budgetFor(path: string): number {
    if (this.files >= this.limits.maxFiles) {
      this.overFiles.push(path);
      return 0;
    }
    const left = this.limits.maxTotalBytes - this.bytes;
    if (left <= 0) {
      this.overBytes.push(path);
      return 0;
    }
    return Math.min(this.limits.maxFileBytes, left);
  }

  remainingBytes(): number {
    return Math.max(0, this.limits.maxTotalBytes - this.bytes);
  }

  addFile(heading: string, content: string, bytes: number, lang: string): void {
    this.files += 1;
    this.bytes += bytes;
    const fence = fenceFor(content);
    const body = content.endsWith('\n') || content === '' ? content : `${content}\n`;
    this.sections.push(`### ${printable(heading)}\n\n${fence}${lang}\n${body}${fence}`);
  }

  addSection(text: string, bytes: number): void {
    this.bytes += bytes;
    this.sections.push(text);
  }

  render(): string {
    const left = [...this.notes];
    if (this.overFiles.length) {
      left.push(`${listed(this.overFiles)}: the limit of ${this.limits.maxFiles} files was reached`);
    }
    if (this.overBytes.length) {
      left.push(
        `${listed(this.overBytes)}: the limit of ${this.limits.maxTotalBytes} bytes of context was reached`,
      );
    }
    const out = [...this.sections];
    if (left.length) out.push(`### Left out\n\n${left.map((l) => `- ${l}`).join('\n')}`);
    return out.join('\n\n');
  }
}

function listed(paths: readonly string[]): string {
  const shown = paths
    .slice(0, MAX_LISTED)
    .map((p) => `\`${printable(p)}\``)
    .join(', ');
  return paths.length > MAX_LISTED ? `${shown} and ${paths.length - MAX_LISTED} more` : shown;
}

/** One line of text: a file name with a newline does not start a heading of its own. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, '?');
}

/** Why a pattern may not be used, or null: only relative patterns that stay below the directory. */
export function unsafePatternReason(pattern: string): string | null {
  if (pattern.trim() === '') return 'an empty pattern';
  if (pattern.includes('\0')) return 'a NUL character';
  if (pattern.startsWith('!')) return 'a negated pattern (exclusions are not supported)';
  if (
    isAbsolute(pattern) ||
    /^[A-Za-z]:/.test(pattern) ||
    pattern.startsWith('\\') ||
    pattern.startsWith('~')
  ) {
    return 'an absolute path (patterns are relative to the working directory)';
  }
  // `..` as a path segment, also inside braces and extglobs: `{..,x}/a`, `@(..)/a`
  if (/(^|[/\\{},()|!@+*?])\.\.($|[/\\{},()|])/.test(pattern)) {
    return '`..` (patterns must stay inside the working directory)';
  }
  return null;
}

async function addGlob(
  b: PackBuilder,
  root: string,
  pattern: string,
  what: 'file' | 'decision record',
  signal: AbortSignal,
): Promise<void> {
  const unsafe = unsafePatternReason(pattern);
  if (unsafe) {
    b.note(`\`${pattern}\`: rejected, ${unsafe}`);
    return;
  }
  let matches: string[];
  try {
    // a symbolic link is only taken when named exactly (wildcards never list nor enter links)
    const literal = isDynamicPattern(pattern) ? null : posix.normalize(pattern).replace(/^(\.\/)+/, '');
    matches =
      literal !== null && !IGNORED_SEGMENT.test(literal) && (await isSymlink(join(root, literal)))
        ? [literal.replace(/\/+$/, '')]
        : await glob(pattern, {
            cwd: root,
            dot: false,
            onlyFiles: true,
            followSymbolicLinks: false,
            expandDirectories: true,
            ignore: IGNORED,
            signal,
          });
  } catch (e) {
    signal.throwIfAborted();
    b.note(`\`${pattern}\`: cannot be searched (${(e as Error).message})`);
    return;
  }
  signal.throwIfAborted();
  const paths = [...new Set(matches.map((m) => m.split(sep).join('/')))].sort(byCodePoint);
  if (paths.length === 0) {
    b.note(`\`${pattern}\`: no ${what} matches`);
    return;
  }
  for (const rel of paths) {
    signal.throwIfAborted();
    if (!b.claim(rel)) continue;
    await addOneFile(b, root, rel, what);
  }
}

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

async function addOneFile(b: PackBuilder, root: string, rel: string, what: string): Promise<void> {
  if (rel.startsWith('../') || rel === '..' || isAbsolute(rel)) {
    b.note(`\`${rel}\`: outside the working directory`);
    return;
  }
  let real: string;
  try {
    real = await realpath(join(root, rel));
  } catch {
    b.note(`\`${rel}\`: cannot be read (a broken link?)`);
    return;
  }
  if (!real.startsWith(root === sep ? root : root + sep)) {
    b.note(`\`${rel}\`: a link to outside the working directory, skipped`);
    return;
  }
  let size: number;
  try {
    const st = await stat(real);
    if (!st.isFile()) {
      b.note(`\`${rel}\`: not a regular file, skipped`);
      return;
    }
    size = st.size;
  } catch (e) {
    b.note(`\`${rel}\`: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return;
  }
  const budget = b.budgetFor(rel);
  if (budget === 0) return;
  let buf: Buffer;
  try {
    // O_NOFOLLOW: the resolved path was swapped for a link meanwhile; O_NONBLOCK: never hang on a FIFO
    const fh = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const want = Math.min(size, budget);
      buf = Buffer.alloc(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await fh.read(buf, got, want - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      buf = buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  } catch (e) {
    b.note(`\`${rel}\`: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return;
  }
  if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    b.note(`\`${rel}\`: a binary file, skipped`);
    return;
  }
  const truncated = size > buf.length;
  const kept = truncated ? buf.subarray(0, utf8Boundary(buf)) : buf;
  const label = what === 'decision record' ? ' (decision record)' : '';
  const heading = truncated
    ? `${rel}${label} (truncated: the first ${kept.length} of ${size} bytes)`
    : `${rel}${label}`;
  b.addFile(heading, kept.toString('utf8'), kept.length, languageOf(rel));
}

async function addRecentRuns(
  b: PackBuilder,
  input: BuildContextPackInput,
  limit: number,
  logTailBytes: number,
  signal: AbortSignal,
): Promise<void> {
  if (!input.recentRuns) {
    b.note(`recent runs: not available to this runner`);
    return;
  }
  let runs: RecentRunSummary[];
  try {
    runs = await input.recentRuns.recentRuns({ runId: input.runId, limit, logTailBytes }, signal);
  } catch (e) {
    signal.throwIfAborted();
    b.note(`recent runs: cannot be read (${(e as Error).message})`);
    return;
  }
  // whole runs while they fit (a run without its log tails when only that fits): never a cut block
  const head = `### Recent runs of this workflow (the last ${limit}, newest first)`;
  const parts = [head, runs.length === 0 ? 'No earlier run.' : ''].filter(Boolean);
  let bytes = Buffer.byteLength(parts.join('\n\n'));
  let shortened = 0;
  let dropped = 0;
  for (const r of runs) {
    if (dropped > 0) {
      dropped += 1;
      continue;
    }
    const full = renderRun(r, true);
    const short = renderRun(r, false);
    const left = b.remainingBytes() - bytes - 2;
    if (Buffer.byteLength(full) <= left) parts.push(full);
    else if (Buffer.byteLength(short) <= left) {
      parts.push(short);
      shortened += 1;
    } else {
      dropped += 1;
      continue;
    }
    bytes += 2 + Buffer.byteLength(parts.at(-1) ?? '');
  }
  const cap = `the limit of ${b.limits.maxTotalBytes} bytes of context was reached`;
  if (bytes > b.remainingBytes() || (runs.length > 0 && dropped === runs.length)) {
    b.note(`recent runs: ${cap}`);
    return;
  }
  if (shortened) b.note(`recent runs: the log tails of ${shortened} runs: ${cap}`);
  if (dropped) b.note(`recent runs: ${dropped} older runs: ${cap}`);
  b.addSection(parts.join('\n\n'), bytes);
}

function renderRun(r: RecentRunSummary, withLogs: boolean): string {
  const created = new Date(r.createdAt).toISOString();
  const finished = r.finishedAt === null ? '' : `, finished ${new Date(r.finishedAt).toISOString()}`;
  const lines = [`#### Run ${r.runId}: ${r.status}`, '', `Created ${created}${finished}.`];
  if (r.error) lines.push(`Error: ${oneLine(r.error)}`);
  for (const s of r.failedSteps) {
    const attempt = s.attempt > 0 ? ` (attempt ${s.attempt})` : '';
    lines.push('', `Step \`${s.stepKey}\` failed${attempt}${s.error ? `: ${oneLine(s.error)}` : ''}`);
    if (withLogs && s.logTail.trim() !== '') {
      const fence = fenceFor(s.logTail);
      const tail = s.logTail.endsWith('\n') ? s.logTail : `${s.logTail}\n`;
      lines.push(`${s.logTruncated ? 'End of its log' : 'Its log'}:`, `${fence}text\n${tail}${fence}`);
    }
  }
  if (r.moreFailedSteps > 0) lines.push('', `(${r.moreFailedSteps} more failed steps not shown)`);
  return lines.join('\n');
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 500)}…` : flat;
}

/** A code fence longer than any backtick run inside the content (CommonMark). */
function fenceFor(content: string): string {
  let longest = 0;
  for (const m of content.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The length of `buf` without a trailing incomplete UTF-8 sequence. */
export function utf8Boundary(buf: Buffer): number {
  let i = buf.length - 1;
  // at most 3 continuation bytes precede the lead byte of the last character
  while (i >= 0 && i >= buf.length - 4 && ((buf[i] ?? 0) & 0xc0) === 0x80) i -= 1;
  if (i < 0) return 0;
  const lead = buf[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return buf.length - i >= need ? buf.length : i;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const LANGUAGES: Readonly<Record<string, string>> = {
  '.ts': 'ts',
  '.tsx': 'tsx',
  '.mts': 'ts',
  '.cts': 'ts',
  '.js': 'js',
  '.jsx': 'jsx',
  '.mjs': 'js',
  '.cjs': 'js',
  '.json': 'json',
  '.md': 'markdown',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.toml': 'toml',
  '.py': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.kt': 'kotlin',
  '.rb': 'ruby',
  '.php': 'php',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.hpp': 'cpp',
  '.cs': 'csharp',
  '.swift': 'swift',
  '.sh': 'sh',
  '.bash': 'bash',
  '.sql': 'sql',
  '.html': 'html',
  '.css': 'css',
  '.scss': 'scss',
  '.xml': 'xml',
  '.proto': 'proto',
};

function languageOf(path: string): string {
  return LANGUAGES[extname(path).toLowerCase()] ?? '';
}
