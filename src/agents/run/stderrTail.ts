/** Keeps the last `max` characters written to it. */
export class TextTail {
  private text = '';
  constructor(private readonly max = 4096) {}

  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > 2 * this.max) this.text = this.text.slice(-this.max);
  }

  toString(): string {
    return this.text.length > this.max ? `…${this.text.slice(-this.max)}` : this.text;
  }
}
