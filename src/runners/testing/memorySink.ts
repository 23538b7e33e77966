import type { LogSink, LogStream } from '../../engine/ports/stepExecutor.ts';

/** A LogSink for tests: keeps everything in memory. */
export class MemorySink implements LogSink {
  readonly writes: Array<{ stream: LogStream; data: Buffer }> = [];

  write(stream: LogStream, chunk: Buffer): void {
    this.writes.push({ stream, data: chunk });
  }

  async flush(): Promise<void> {}

  text(stream: LogStream): string {
    return Buffer.concat(this.writes.filter((w) => w.stream === stream).map((w) => w.data)).toString('utf8');
  }
}
