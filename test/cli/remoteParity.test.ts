import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPROVAL_WORKFLOW, SIMPLE_WORKFLOW } from '../api/apiHarness.ts';
import { createRemoteHarness, type RemoteHarness } from './remoteHarness.ts';

const NOISY = `
name: noisy
description: prints on both streams, then fails
steps:
  - id: talk
    run: echo "out one"; echo "err one" >&2; printf 'no newline'; echo x=1 >> "$BATON_OUTPUT"
    outputs: [x]
  - id: fail
    needs: talk
    run: echo "about to fail"; exit 4
`;

/**
 * Local mode (the database) and remote mode (the HTTP API over the same database) print the same
 * thing: the human output and the --json documents.
 */
describe('baton --server prints what local mode prints (sqlite)', () => {
  let h: RemoteHarness;
  beforeEach(async () => {
    h = await createRemoteHarness('sqlite');
    for (const wf of [SIMPLE_WORKFLOW, APPROVAL_WORKFLOW, NOISY]) await h.register(wf);
  });
  afterEach(async () => {
    await h.close();
  });

  async function same(args: string[]): Promise<string> {
    const local = await h.local(args);
    const remote = await h.remote(args);
    expect({ args, ...remote }).toEqual({ args, ...local });
    return local.stdout;
  }

  it('runs ls, runs show, logs, workflows ls, queue', async () => {
    const ok = await h.start('simple', { who: 'parity' });
    const failed = await h.start('noisy', {}, { priority: 3, idempotencyKey: 'k-1' });
    const gated = await h.start('gated');
    await h.finish(ok.id);
    await h.finish(failed.id);
    await h.waitFor(gated.id, (d) => d.run.status === 'awaiting_approval');

    // finished runs only where durations are printed (a live run's duration moves between two calls)
    expect(await same(['runs', 'ls', '--status', 'succeeded,failed'])).toContain('noisy');
    expect(await same(['runs', 'show', ok.id])).toContain('who: parity');
    expect(await same(['runs', 'show', failed.id.slice(0, 13)])).toContain('exited with code 4');
    await same(['--json', 'runs', 'ls']);
    await same(['--json', 'runs', 'ls', '--workflow', 'gated']);
    await same(['--json', 'runs', 'show', gated.id]);
    await same(['--json', 'runs', 'show', failed.id]);
    await same(['logs', failed.id]);
    await same(['logs', failed.id, 'talk', '--stream', 'all']);
    await same(['--json', 'logs', failed.id]);
    expect(await same(['workflows', 'ls'])).toContain('prints on both streams');
    await same(['--json', 'workflows', 'ls']);
    await same(['runs', 'show', 'ffffffff']); // the same error, the same exit code

    // a page and the next: cursors are opaque (each mode has its own), the runs are the same
    type Page = { runs: Array<{ id: string }>; next_cursor: string | null };
    const page = async (run: typeof h.local, cursor?: string) =>
      JSON.parse(
        (await run(['--json', 'runs', 'ls', '--limit', '2', ...(cursor ? ['--cursor', cursor] : [])])).stdout,
      ) as Page;
    const [l1, r1] = [await page(h.local), await page(h.remote)];
    expect(r1.runs).toEqual(l1.runs);
    const [l2, r2] = [await page(h.local, l1.next_cursor!), await page(h.remote, r1.next_cursor!)];
    expect(r2).toEqual({ runs: l2.runs, next_cursor: null });
    expect(l2.next_cursor).toBeNull();

    // the queue: the same settings; the server does not report its runners
    const [lq, rq] = [await h.local(['--json', 'queue']), await h.remote(['--json', 'queue'])];
    const [lj, rj] = [JSON.parse(lq.stdout), JSON.parse(rq.stdout)] as Array<{
      queue: unknown;
      runners: unknown;
    }>;
    expect(rj!.queue).toEqual(lj!.queue);
    expect(rj!.runners).toBeNull();
    const human = await h.remote(['queue']);
    expect((await h.local(['queue'])).stdout.startsWith(human.stdout)).toBe(true);
  });
});
