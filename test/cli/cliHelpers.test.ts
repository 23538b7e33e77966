import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/cli/commands/runsLs.ts';
import { EXIT, exitCodeForError, exitCodeForRun } from '../../src/cli/exitCodes.ts';
import { makeColors } from '../../src/cli/follow/colors.ts';
import { cleanLine } from '../../src/cli/follow/logTail.ts';
import { LogWriter } from '../../src/cli/follow/logWriter.ts';
import { PlainProgress } from '../../src/cli/follow/plainProgress.ts';
import { TtyProgress } from '../../src/cli/follow/ttyProgress.ts';
import { abbreviateIds, formatDuration, formatTable } from '../../src/cli/format.ts';
import { parseInputs } from '../../src/cli/parseInputs.ts';
import type { LogChunkRecord, RunRecord, StepRecord } from '../../src/domain/records.ts';
import type { RunDetails } from '../../src/engine/engine.ts';
import { workflowBaseDir } from '../../src/main/registerWorkflowDirs.ts';

class Sink {
  text = '';
  write(s: string | Uint8Array): void {
    this.text += typeof s === 'string' ? s : Buffer.from(s).toString('utf8');
  }
}

const RUN_ID = '0196f3ab-1c2d-7000-8000-000000000001';

function details(
  runStatus: RunRecord['status'],
  steps: Array<Pick<StepRecord, 'stepKey' | 'status'> & Partial<StepRecord>>,
): RunDetails {
  const run = {
    id: RUN_ID,
    workflowName: 'wf',
    status: runStatus,
    createdAt: 1000,
    startedAt: 1000,
    finishedAt: null,
  } as RunRecord;
  return {
    run,
    steps: steps.map(
      (s, i) =>
        ({
          id: `s${i}`,
          position: i,
          kind: 'run',
          attempt: 0,
          startedAt: null,
          finishedAt: null,
          error: null,
          ...s,
        }) as StepRecord,
    ),
    waits: [],
    attempts: [],
  };
}

describe('CLI helpers', () => {
  it('maps error codes and run statuses to exit codes', () => {
    expect(exitCodeForError('invalid_input')).toBe(64);
    expect(exitCodeForError('invalid_workflow')).toBe(64);
    expect(exitCodeForError('not_found')).toBe(69);
    expect(exitCodeForError('invalid_state')).toBe(65);
    expect(exitCodeForError('conflict')).toBe(65);
    expect(exitCodeForError('config_invalid')).toBe(78);
    expect(exitCodeForError('internal')).toBe(70);
    expect([exitCodeForRun('succeeded'), exitCodeForRun('failed'), exitCodeForRun('cancelled')]).toEqual([
      EXIT.ok,
      1,
      2,
    ]);
  });

  it('abbreviates UUIDv7 ids to at least 8 characters, longer where they share a prefix', () => {
    const a = '0196f3ab-1c2d-7000-8000-000000000001';
    const b = '0196f3ab-1c3e-7000-8000-000000000002';
    const c = '0296f3ab-1c3e-7000-8000-000000000002';
    const m = abbreviateIds([a, b, c]);
    expect(m.get(a)).toBe('0196f3ab-1c2');
    expect(m.get(b)).toBe('0196f3ab-1c3');
    expect(m.get(c)).toBe('0296f3ab');
  });

  it('formats durations and tables', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(3_240)).toBe('3.2s');
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
    expect(formatTable(['A', 'LONG'], [['xyz', '1']])).toEqual(['A    LONG', 'xyz  1']);
  });

  it('round-trips the runs ls cursor and rejects a bad one', () => {
    expect(decodeCursor(encodeCursor(1234, RUN_ID))).toEqual({ createdAt: 1234, id: RUN_ID });
    expect(() => decodeCursor('nope')).toThrow(/invalid --cursor/);
  });

  it('reads inputs from a file, then --input pairs on top', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-inputs-'));
    try {
      writeFileSync(join(dir, 'in.yaml'), 'env: staging\ncount: 2\n');
      expect(await parseInputs(['count=3', 'msg=a=b'], 'in.yaml', dir)).toEqual({
        env: 'staging',
        count: '3',
        msg: 'a=b',
      });
      await expect(parseInputs(['novalue'], undefined, dir)).rejects.toThrow(/name=value/);
      await expect(parseInputs([], 'missing.json', dir)).rejects.toThrow(/cannot read inputs file/);
      writeFileSync(join(dir, 'list.json'), '[1, 2]');
      await expect(parseInputs([], 'list.json', dir)).rejects.toThrow(/mapping/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs steps of a repository workflow from the repository root', () => {
    expect(workflowBaseDir('/repo/.baton/workflows/ci.yaml')).toBe('/repo');
    expect(workflowBaseDir('/somewhere/flows/ci.yaml')).toBe('/somewhere/flows');
  });

  it('writes log chunks raw, splitting or merging stderr', () => {
    const chunk = (stream: LogChunkRecord['stream'], text: string, seq: number): LogChunkRecord => ({
      stepId: 's',
      attempt: 1,
      seq,
      stream,
      data: Buffer.from(text),
      createdAt: 0,
    });
    const out = new Sink();
    const err = new Sink();
    const w = new LogWriter(out, err, 'default');
    w.header('build', 1);
    w.write(chunk('stdout', 'one\ntw', 0));
    w.write(chunk('stderr', 'oops\n', 1));
    w.write(chunk('stdout', 'o', 2));
    w.finish();
    expect(out.text).toBe('==> build (attempt 1) <==\none\ntwo\n');
    expect(err.text).toBe('oops\n');

    const all = new Sink();
    const m = new LogWriter(all, new Sink(), 'all');
    m.write(chunk('stdout', 'a\n', 0));
    m.write(chunk('stderr', 'b\nc', 1));
    m.write(chunk('stderr', 'd\n', 2));
    expect(all.text).toBe('a\nstderr| b\nstderr| cd\n');
  });

  it('strips terminal control sequences from tailed log lines', () => {
    expect(cleanLine('\x1b[32mok\x1b[0m\tdone')).toBe('ok  done');
    expect(cleanLine('10%\r50%\r100%')).toBe('100%');
  });

  it('prints one plain line per status change, with the approval command', () => {
    const out = new Sink();
    const view = new PlainProgress(out, () => 0);
    view.update(
      details('running', [
        { stepKey: 'build', status: 'running', attempt: 1 },
        { stepKey: 'gate', status: 'pending' },
      ]),
    );
    view.update(
      details('running', [
        { stepKey: 'build', status: 'running', attempt: 1 },
        { stepKey: 'gate', status: 'pending' },
      ]),
    );
    view.update(
      details('awaiting_approval', [
        { stepKey: 'build', status: 'succeeded', attempt: 1 },
        { stepKey: 'gate', status: 'awaiting_approval' },
      ]),
    );
    const lines = out.text
      .trim()
      .split('\n')
      .map((l) => l.slice(l.indexOf(' ') + 1));
    expect(lines).toEqual([
      `run ${RUN_ID}: running`,
      'build: running (attempt 1)',
      'build: succeeded',
      `gate: awaiting approval: baton approve ${RUN_ID} gate`,
      `run ${RUN_ID}: awaiting approval`,
    ]);
  });

  it('redraws the terminal block in place, one line per step', () => {
    const out = new Sink();
    const view = new TtyProgress(
      out,
      makeColors(false),
      () => 80,
      (id) => id.slice(0, 13),
    );
    const d = details('awaiting_approval', [
      { stepKey: 'build', status: 'succeeded', attempt: 1 },
      { stepKey: 'gate', status: 'awaiting_approval' },
    ]);
    view.update(d, null);
    view.update(d, null);
    view.close(d);
    const frames = out.text.split('\x1b[3F');
    expect(frames).toHaveLength(3); // first draw, then two redraws moving up the 3 lines drawn
    expect(out.text).toContain(`→ baton approve ${RUN_ID.slice(0, 13)} gate`);
    for (const line of out.text.split('\n'))
      expect(line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').length).toBeLessThan(80); // eslint-disable-line no-control-regex
    expect(out.text.endsWith('\x1b[?25h')).toBe(true);
  });
});
