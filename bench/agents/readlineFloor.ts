/**
 * The floor of transcript ingestion: the same fake agent, the same bytes, read with a plain
 * `readline` interface and `JSON.parse` per line, nothing else. Whatever Baton does on top (line
 * splitting, the runtime's parser, stamping, redaction, guards, storage) shows as the ratio to it.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { nowMs, throwIfAborted } from '../lib/stats.ts';

export interface FloorResult {
  /** JSON lines parsed */
  lines: number;
  bytes: number;
  /** spawn → stdout closed */
  ms: number;
}

export async function measureReadlineFloor(
  bin: string,
  prompt: string,
  signal: AbortSignal,
): Promise<FloorResult> {
  throwIfAborted(signal);
  const t0 = nowMs();
  const child = spawn(bin, ['-p', prompt], { stdio: ['ignore', 'pipe', 'ignore'], signal });
  let bytes = 0;
  let lines = 0;
  child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
  const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
  rl.on('line', (line) => {
    JSON.parse(line);
    lines++;
  });
  const exit = await new Promise<{ code: number | null; error: Error | null }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code, error: null }));
  });
  const ms = nowMs() - t0;
  throwIfAborted(signal);
  if (exit.error) throw exit.error;
  if (exit.code !== 0) throw new Error(`the fake agent exited with code ${String(exit.code)}`);
  return { lines, bytes, ms };
}
