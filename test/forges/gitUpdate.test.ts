import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../helpers/bareOrigin.ts';
import { forgeActionHarness, stepOf, type ForgeActionHarness } from './forgeActionHarness.ts';

/**
 * git/update on real git: a branch that fell behind main gets main merged in host-side and pushed;
 * a conflicting change fails the step naming the file, with the merge aborted and the branch as it
 * was on both sides.
 */
const flow = (file: string, text: string) => `
name: update-${file.replace(/\W/g, '-')}
steps:
  - id: ws
    uses: git/workspace
    with: { repository: acme/demo, slug: ${file.replace(/\W/g, '-')} }
  - id: change
    needs: [ws]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: echo "${text}" > ${file}
  - id: commit
    needs: [change]
    uses: git/commit
    with: { path: "{{ steps.ws.outputs.path }}", repository: acme/demo, message: "Change ${file}" }
  - id: main-moves
    needs: [commit]
    run: ./move-main.sh
  - id: update
    needs: [main-moves]
    uses: git/update
    with: { path: "{{ steps.ws.outputs.path }}", repository: acme/demo, from: main }
`;

describe('git/update on the local forge', () => {
  let h: ForgeActionHarness;
  beforeAll(async () => {
    h = await forgeActionHarness();
    // another change lands on main while the branch is worked on (a clone pushing README.md)
    writeFileSync(
      join(h.dir, 'move-main.sh'),
      `#!/bin/sh\nset -e\nd=$(mktemp -d)\ngit clone -q "${h.origin}" "$d"\ncd "$d"\necho "main moved $(date +%s%N)" >> README.md\ngit -c user.name=t -c user.email=t@t commit -qam "main moves"\ngit push -q origin main\n`,
      { mode: 0o755 },
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('merges what main gained into the branch and pushes it', async () => {
    const { d } = await h.run(flow('feature.txt', 'new feature'));
    const s = stepOf(d, 'update');
    expect(d.run.status, JSON.stringify(d.steps.map((x) => [x.stepKey, x.status, x.error]))).toBe(
      'succeeded',
    );
    expect(s.outputs).toMatchObject({ merged: 'true', pushed: 'true', from: 'main', conflicts: '' });
    const branch = String(stepOf(d, 'ws').outputs?.branch);
    // the remote branch now holds its own change and main's
    expect(git(h.origin, 'show', `${branch}:feature.txt`)).toBe('new feature');
    expect(git(h.origin, 'show', `${branch}:README.md`)).toContain('main moved');
    expect(git(h.origin, 'merge-base', '--is-ancestor', 'main', branch)).toBe('');
    expect(git(h.origin, 'rev-parse', branch)).toBe(s.outputs?.sha);
  });

  it('fails naming the conflicting file, and leaves the branch as it was', async () => {
    const { d, log } = await h.run(flow('README.md', 'rewritten by the branch'));
    const s = stepOf(d, 'update');
    expect(d.run.status).toBe('failed');
    expect(s.error?.message).toContain('conflicts in README.md');
    expect(s.outputs).toMatchObject({ conflicts: 'README.md', merged: 'false' });
    expect(await log('update')).toContain('the merge was aborted');
    const branch = String(stepOf(d, 'ws').outputs?.branch);
    const path = String(stepOf(d, 'ws').outputs?.path);
    // the worktree is clean and on the branch's own commit; the remote branch did not move
    expect(git(path, 'status', '--porcelain')).toBe('');
    expect(git(path, 'rev-parse', 'HEAD')).toBe(stepOf(d, 'commit').outputs?.sha);
    expect(git(h.origin, 'rev-parse', branch)).toBe(stepOf(d, 'commit').outputs?.sha);
  });
});
