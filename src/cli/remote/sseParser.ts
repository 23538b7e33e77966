/** One dispatched Server-Sent Event. */
export interface SseEvent {
  /** the last event id seen so far on the stream ('' when none) */
  id: string;
  /** `message` unless an `event:` field named it */
  event: string;
  data: string;
}

/**
 * An incremental parser of the `text/event-stream` format (WHATWG HTML §9.2.6): feed it decoded
 * text as it arrives, in chunks cut anywhere; it calls `onEvent` for each complete event. Lines end
 * with CRLF, LF or CR; `:` lines are comments (heartbeats); `id:` persists across events; `retry:`
 * is kept in `retry`. An event still incomplete when the stream ends is dropped, as the spec says.
 */
export class SseParser {
  lastEventId = '';
  retry: number | undefined;
  private buffer = '';
  private started = false;
  /** the last chunk ended with a CR: a LF starting the next one belongs to it */
  private skipLf = false;
  private data: string[] = [];
  private event = '';

  constructor(
    private readonly onEvent: (e: SseEvent) => void,
    private readonly onComment: (text: string) => void = () => {},
  ) {}

  push(text: string): void {
    if (this.skipLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLf = false;
    this.buffer += text;
    if (!this.started && this.buffer.length) {
      this.started = true;
      if (this.buffer.startsWith('\uFEFF')) this.buffer = this.buffer.slice(1);
    }
    let from = 0;
    const eol = /\r\n|\r|\n/g;
    for (let m = eol.exec(this.buffer); m; m = eol.exec(this.buffer)) {
      this.line(this.buffer.slice(from, m.index));
      from = m.index + m[0].length;
    }
    // a CR at the very end may be the first half of a CRLF cut between two chunks
    this.skipLf = this.buffer.endsWith('\r');
    this.buffer = this.buffer.slice(from);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return this.onComment(line.slice(1).trimStart());
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default: // unknown fields are ignored
    }
  }

  private dispatch(): void {
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = '';
    if (data.length === 0) return;
    this.onEvent({ id: this.lastEventId, event: event || 'message', data: data.join('\n') });
  }
}
