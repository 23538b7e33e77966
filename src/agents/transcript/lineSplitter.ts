/** Longest line kept whole (characters); beyond it the line is cut and marked. */
export const MAX_LINE_LENGTH = 1024 * 1024;

/** A complete stdout line: parsed JSON, or text that is not JSON (or was cut). */
export type SplitLine =
  { kind: 'json'; value: unknown; text: string } | { kind: 'text'; text: string; truncated: boolean };

export interface LineSplitterOptions {
  maxLineLength?: number;
}

/**
 * Turns arbitrary stdout chunks (strings, or bytes cut anywhere, even inside a UTF-8 character) into
 * complete lines. Partial lines wait for the next chunk; `\r\n` is accepted; blank lines are
 * skipped; a line longer than `maxLineLength` keeps its start, drops the rest up to the newline and
 * comes out as a truncated text line — memory stays bounded. Do not mix string and byte chunks.
 */
export class LineSplitter {
  private readonly max: number;
  private readonly decoder = new TextDecoder('utf-8');
  private parts: string[] = [];
  private length = 0;
  private dropped = 0;

  constructor(options: LineSplitterOptions = {}) {
    this.max = Math.max(1, options.maxLineLength ?? MAX_LINE_LENGTH);
  }

  push(chunk: string | Uint8Array): SplitLine[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SplitLine[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.append(text.slice(start, nl));
      this.finishLine(out);
      start = nl + 1;
    }
    this.append(text.slice(start));
    return out;
  }

  /** The last line, when the stream ended without a newline. */
  end(): SplitLine[] {
    const out: SplitLine[] = [];
    this.append(this.decoder.decode());
    if (this.length > 0 || this.dropped > 0) this.finishLine(out);
    return out;
  }

  private append(piece: string): void {
    if (piece.length === 0) return;
    if (this.dropped > 0) {
      this.dropped += piece.length;
      return;
    }
    const room = this.max - this.length;
    if (piece.length <= room) {
      this.parts.push(piece);
      this.length += piece.length;
      return;
    }
    this.parts.push(piece.slice(0, room));
    this.length = this.max;
    this.dropped = piece.length - room;
  }

  private finishLine(out: SplitLine[]): void {
    let line = this.parts.join('');
    const dropped = this.dropped;
    this.parts = [];
    this.length = 0;
    this.dropped = 0;
    if (dropped > 0) {
      out.push({ kind: 'text', text: `${line}… [line truncated: ${dropped} more chars]`, truncated: true });
      return;
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.startsWith('\uFEFF')) line = line.slice(1);
    if (line.trim() === '') return;
    out.push(parseLine(line));
  }
}

function parseLine(line: string): SplitLine {
  const first = line.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return { kind: 'json', value: JSON.parse(line) as unknown, text: line };
    } catch {
      // not JSON after all: kept as text
    }
  }
  return { kind: 'text', text: line, truncated: false };
}
