import type { LogChunkRecord } from '../../domain/records.ts';
import type { Out } from './progressView.ts';

export type StreamMode = 'default' | 'stdout' | 'stderr' | 'all';

const PREFIX: Record<LogChunkRecord['stream'], string> = {
  stdout: '',
  stderr: 'stderr| ',
  system: 'baton| ',
};

/**
 * Writes log chunks as raw bytes: stdout chunks to stdout, stderr (and Baton's own `system` lines)
 * to stderr; `--stream stdout|stderr` keeps one of them; `--stream all` merges everything into
 * stdout, prefixing each stderr/system line. Headers (`==> step (attempt n) <==`) go to stdout.
 */
export class LogWriter {
  private readonly lineStart = new Map<Out, boolean>();
  private readonly prefixedLineStart: Partial<Record<LogChunkRecord['stream'], boolean>> = {};
  private source: string | null = null;

  constructor(
    private readonly stdout: Out,
    private readonly stderr: Out,
    private readonly mode: StreamMode,
  ) {}

  wants(stream: LogChunkRecord['stream']): boolean {
    switch (this.mode) {
      case 'default':
      case 'all':
        return true;
      case 'stdout':
        return stream === 'stdout';
      case 'stderr':
        return stream === 'stderr';
    }
  }

  /** A header when the chunks that follow come from another step or attempt. */
  header(stepKey: string, attempt: number): void {
    const source = `${stepKey}#${attempt}`;
    if (source === this.source) return;
    this.endLine(this.stdout);
    if (this.mode !== 'all') this.endLine(this.stderr);
    this.put(this.stdout, `${this.source === null ? '' : '\n'}==> ${stepKey} (attempt ${attempt}) <==\n`);
    this.source = source;
  }

  write(c: LogChunkRecord): void {
    if (!this.wants(c.stream)) return;
    if (this.mode === 'all') {
      this.put(this.stdout, c.stream === 'stdout' ? c.data : this.prefixLines(c));
      return;
    }
    this.put(c.stream === 'stdout' ? this.stdout : this.stderr, c.data);
  }

  /** Ends an unterminated last line so the shell prompt starts on its own line. */
  finish(): void {
    this.endLine(this.stdout);
    this.endLine(this.stderr);
  }

  private prefixLines(c: LogChunkRecord): string {
    const text = c.data.toString('utf8');
    let out = '';
    let atStart = this.prefixedLineStart[c.stream] ?? true;
    for (const part of text.split(/(?<=\n)/)) {
      if (atStart) out += PREFIX[c.stream];
      out += part;
      atStart = part.endsWith('\n');
    }
    this.prefixedLineStart[c.stream] = atStart;
    return out;
  }

  private put(out: Out, data: Buffer | string): void {
    if (data.length === 0) return;
    out.write(data);
    const last =
      typeof data === 'string' ? data[data.length - 1] : String.fromCharCode(data[data.length - 1] ?? 10);
    this.lineStart.set(out, last === '\n');
  }

  private endLine(out: Out): void {
    if (this.lineStart.get(out) === false) this.put(out, '\n');
  }
}
