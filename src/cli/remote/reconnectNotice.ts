/**
 * The "reconnecting…" note on stderr while following: printed once when a channel (the event stream,
 * the reads) starts failing while none was, and "reconnected" once all work again.
 */
export class ReconnectNotice {
  private readonly failing = new Set<string>();

  constructor(
    private readonly note: (line: string) => void,
    private readonly server: string,
  ) {}

  failed(channel: string, reason: string): void {
    if (this.failing.size === 0) this.note(`reconnecting to ${this.server} (${reason})…`);
    this.failing.add(channel);
  }

  recovered(channel: string): void {
    if (this.failing.delete(channel) && this.failing.size === 0) this.note(`reconnected to ${this.server}`);
  }
}
