import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogChunkRecord, RunRecord } from '../../src/domain/records.ts';
import { buildContextPack } from '../../src/runners/agent/buildContextPack.ts';
import { logTail, recentRunsFromStore } from '../../src/runners/agent/recentRunsFromStore.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';

const FLAKY = `
name: flaky
inputs:
  fail: { type: string, default: "no" }
steps:
  - id: build
    run: |
      for i in 1 2 3 4 5 6 7 8 9 10; do echo "build line $i"; done
      if [ "{{ inputs.fail }}" = "yes" ]; then
        printf '\\033[31mFAILED\\033[0m GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyz\\n'
        exit 3
      fi
  - id: after
    needs: build
    run: echo after
`;

const OTHER = `
name: other
steps:
  - id: build
    run: exit 1
`;

const never = new AbortController().signal;

describe.each(DIALECTS)('recentRunsFromStore (%s)', (dialect) => {
  let h: Harness;
  const runs: RunRecord[] = [];
  beforeAll(async () => {
    h = await createHarness(dialect);
    await h.register(FLAKY);
    await h.register(OTHER);
    for (const [wf, fail] of [
      ['flaky', 'yes'],
      ['flaky', 'no'],
      ['other', ''],
      ['flaky', 'yes'],
      ['flaky', 'no'],
    ] as const) {
      const run = await h.start(wf, wf === 'flaky' ? { fail } : {});
      await h.finish(run.id);
      runs.push(run);
    }
  });
  afterAll(async () => h.close());

  it('summarizes the runs of the same workflow before the given one, newest first', async () => {
    const port = recentRunsFromStore(h.store);
    const [first, second, , fourth, fifth] = runs.map((r) => r.id);
    const recent = await port.recentRuns({ runId: fifth!, limit: 10, logTailBytes: 4096 }, never);
    expect(recent.map((r) => [r.runId, r.status])).toEqual([
      [fourth, 'failed'],
      [second, 'succeeded'],
      [first, 'failed'],
    ]);
    const failed = recent[0]!;
    expect(failed.error).toBeTruthy();
    expect(failed.moreFailedSteps).toBe(0);
    expect(failed.failedSteps).toHaveLength(1);
    const step = failed.failedSteps[0]!;
    expect(step).toMatchObject({
      stepKey: 'build',
      attempt: 1,
      error: 'command exited with code 3',
      logTruncated: false,
    });
    expect(step.logTail).toContain('build line 1\n');
    // escape sequences removed, secrets redacted
    expect(step.logTail).toContain('FAILED GITHUB_TOKEN=***');
    expect(step.logTail).not.toContain('\u001b');
    expect(step.logTail).not.toContain('ghp_');
    expect(recent[1]!.failedSteps).toEqual([]);

    expect(
      (await port.recentRuns({ runId: fifth!, limit: 1, logTailBytes: 4096 }, never)).map((r) => r.runId),
    ).toEqual([fourth]);
    expect(await port.recentRuns({ runId: first!, limit: 5, logTailBytes: 4096 }, never)).toEqual([]);
    expect(await port.recentRuns({ runId: 'no-such-run', limit: 5, logTailBytes: 4096 }, never)).toEqual([]);
  });

  it('keeps only the end of a log', async () => {
    const port = recentRunsFromStore(h.store);
    const recent = await port.recentRuns({ runId: runs[4]!.id, limit: 1, logTailBytes: 40 }, never);
    const step = recent[0]!.failedSteps[0]!;
    expect(step.logTruncated).toBe(true);
    expect(Buffer.byteLength(step.logTail)).toBeLessThanOrEqual(40);
    expect(step.logTail).toMatch(/GITHUB_TOKEN=\*\*\*\n$/);
  });

  it('feeds buildContextPack', async () => {
    const text = await buildContextPack(
      {
        packs: [{ recent_runs: 2 }],
        cwd: h.work,
        runId: runs[4]!.id,
        recentRuns: recentRunsFromStore(h.store),
      },
      never,
    );
    expect(text).toContain(`#### Run ${runs[3]!.id}: failed`);
    expect(text).toContain('Step `build` failed (attempt 1): command exited with code 3');
    expect(text).toContain(`#### Run ${runs[1]!.id}: succeeded`);
    expect(text).not.toContain(runs[0]!.id);
  });

  it('finds the end of a long log in a few small reads', async () => {
    const stepId = (await h.store.listSteps(runs[0]!.id)).find((s) => s.stepKey === 'build')!.id;
    const chunks: LogChunkRecord[] = Array.from({ length: 1500 }, (_, seq) => ({
      stepId,
      attempt: 42,
      seq,
      stream: 'stdout',
      data: Buffer.from(`chunk ${String(seq).padStart(6, '0')}\n`),
      createdAt: Date.now(),
    }));
    for (let i = 0; i < chunks.length; i += 500) await h.store.appendLogs(chunks.slice(i, i + 500));
    let reads = 0;
    let rows = 0;
    const counting = {
      readLogs: async (...args: Parameters<typeof h.store.readLogs>) => {
        const r = await h.store.readLogs(...args);
        reads += 1;
        rows += r.length;
        return r;
      },
    };
    const tail = await logTail(counting, stepId, 42, 60);
    const full = Buffer.concat(chunks.map((c) => c.data)).toString('utf8');
    // the last 60 bytes, without the cut first line
    expect(tail).toEqual({ text: full.slice(-52), truncated: true });
    expect(tail!.text.endsWith('chunk 001499\n')).toBe(true);
    expect(reads).toBeLessThan(40);
    // the first page, one chunk a probe, then the tail and the redaction margin (~1 KiB)
    expect(rows).toBeLessThan(64 + 40 + 100);

    // a short log is read at once and whole
    await h.store.appendLogs(chunks.slice(0, 30).map((c) => ({ ...c, attempt: 43 })));
    reads = 0;
    const whole = await logTail(counting, stepId, 43, 1_000_000);
    expect(whole).toEqual({ text: full.slice(0, 30 * 13), truncated: false });
    expect(reads).toBe(1);
    expect(await logTail(counting, stepId, 44, 100)).toBeNull();
  });

  it('reads further back when the chunks at the end are smaller than those at the beginning', async () => {
    const stepId = (await h.store.listSteps(runs[2]!.id)).find((s) => s.stepKey === 'build')!.id;
    const data = (seq: number) => Buffer.from(seq < 64 ? `${'a'.repeat(999)}\n` : 'b\n');
    await h.store.appendLogs(
      Array.from({ length: 100 }, (_, seq) => ({
        stepId,
        attempt: 3,
        seq,
        stream: 'stdout' as const,
        data: data(seq),
        createdAt: Date.now(),
      })),
    );
    expect(await logTail(h.store, stepId, 3, 60)).toEqual({ text: 'b\n'.repeat(30), truncated: true });
    expect(await logTail(h.store, stepId, 3, 1100)).toEqual({
      text: `${'a'.repeat(999)}\n${'b\n'.repeat(36)}`,
      truncated: true,
    });
  });

  it('never starts a tail inside a UTF-8 character', async () => {
    const stepId = (await h.store.listSteps(runs[1]!.id)).find((s) => s.stepKey === 'build')!.id;
    await h.store.appendLogs([
      { stepId, attempt: 7, seq: 0, stream: 'stdout', data: Buffer.from('ééééé'), createdAt: Date.now() },
    ]);
    const tail = await logTail(h.store, stepId, 7, 5);
    expect(tail).toEqual({ text: 'éé', truncated: true });
  });
});
