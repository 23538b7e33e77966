/**
 * A fake `claude` for the agent benchmarks: an executable node script that takes Claude Code's
 * command line (`-p <prompt> --output-format stream-json …`) and replays a recorded stream (see
 * recordedStream.ts) on stdout. The prompt is a JSON `FakeAgentSpec`, so the same binary serves
 * runAgent() directly and `agent:` steps run by the engine (BATON_CLAUDE_CODE_BIN).
 *
 * `rate: 0` writes as fast as the pipe takes it (64 KiB blocks, waiting for 'drain'); a positive
 * rate writes that many lines per second, in small batches every `tickMs`.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeAgentSpec {
  /** RecordedStream.path */
  stream: string;
  /** body lines to print between the init line and the result line */
  lines: number;
  /** body lines per second; 0 = as fast as possible */
  rate: number;
  /** paced mode: interval between batches (default 50 ms) */
  tickMs?: number;
}

const SOURCE = `'use strict';
const { readFileSync } = require('node:fs');
const argv = process.argv.slice(2);
const spec = JSON.parse(argv[argv.indexOf('-p') + 1]);
const { head, body, tail } = JSON.parse(readFileSync(spec.stream, 'utf8'));
const out = process.stdout;
out.on('error', () => process.exit(0));
const total = spec.lines;
let written = 0;
const line = (i) => body[i % body.length] + '\\n';
const finish = () => out.write(tail + '\\n');
out.write(head + '\\n');
if (!(spec.rate > 0)) {
  const cycle = body.map((l) => l + '\\n').join('');
  const per = Math.max(1, Math.floor(65536 / Buffer.byteLength(cycle)));
  const block = Buffer.from(cycle.repeat(per));
  const blockLines = per * body.length;
  const pump = () => {
    while (written + blockLines <= total) {
      written += blockLines;
      if (!out.write(block)) {
        out.once('drain', pump);
        return;
      }
    }
    let rest = '';
    while (written < total) rest += line(written++);
    out.write(rest);
    finish();
  };
  pump();
} else {
  const t0 = Date.now();
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * spec.rate));
    let chunk = '';
    while (written < due) chunk += line(written++);
    if (chunk !== '') out.write(chunk);
    if (written >= total) {
      clearInterval(timer);
      finish();
    }
  }, spec.tickMs || 50);
}
`;

/** Writes the fake CLI into `dir` (executable, run by this node binary) and returns its path. */
export function writeFakeAgentCli(dir: string): string {
  const path = join(dir, 'fake-claude');
  writeFileSync(path, `#!${process.execPath}\n${SOURCE}`);
  chmodSync(path, 0o755);
  return path;
}

/** The prompt that tells the fake CLI what to print. */
export function fakeAgentPrompt(spec: FakeAgentSpec): string {
  return JSON.stringify(spec);
}
