import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueRecord } from '../../src/domain/issues/issueRecord.ts';
import { issueWalkWorkflows } from '../helpers/issueWalkWorkflows.ts';
import { githubBaton, type GithubBaton } from './githubBaton.ts';

const WALKER = readFileSync(
  fileURLToPath(new URL('../../examples/issue-tree.yaml', import.meta.url)),
  'utf8',
);

// a leaf's merge waits for a green status (an App cannot approve its own pull request)
const { work: WORK, integrate: INTEGRATE } = issueWalkWorkflows('gh', { approve: false });

/** examples/issue-tree.yaml on the fake GitHub: branches and pull requests of a three-level tree. */
describe('the issue-tree walk on the fake GitHub (App auth, real git over HTTP)', () => {
  let b: GithubBaton;
  beforeAll(async () => {
    b = await githubBaton();
    await b.register(WALKER, WORK, INTEGRATE);
  });
  afterAll(() => b?.close());

  it('creates integration and the parent branches, opens each pull request into its parent, merges bottom-up', async () => {
    const mk = async (kind: IssueRecord['kind'], title: string, parentId?: string) =>
      (await b.app.engine.createIssue({ workspaceId: 'default', kind, title, parentId })).issue;
    const epic = await mk('epic', 'Search');
    const feature = await mk('feature', 'Filters', epic.id);
    const price = await mk('task', 'Price filter', feature.id);
    const brand = await mk('task', 'Brand filter', feature.id);

    const { run } = await b.app.engine.createRun({
      workflow: 'issue-tree',
      inputs: { repo: 'acme/app', issue: epic.id, work: 'gh-work', integrate: 'gh-integrate' },
    });
    const done = await b.app.engine.waitForRun(run.id, { signal: AbortSignal.timeout(150_000) });
    expect(done.status).toBe('succeeded');
    for (const i of [epic, feature, price, brand])
      expect((await b.app.engine.getIssue(i.id)).issue.status).toBe('done');

    // the pull requests on GitHub, in the order they were opened, each into its parent's branch, merged
    const pulls = [...b.f.gh.repo('acme', 'app').issues.values()]
      .filter((i) => i.pull)
      .sort((x, y) => x.number - y.number)
      .map((i) => [i.pull?.head, i.pull?.base, i.pull?.merged]);
    expect(pulls).toEqual([
      [price.branch, feature.branch, true],
      [brand.branch, feature.branch, true],
      [feature.branch, epic.branch, true],
      [epic.branch, 'integration', true],
    ]);
    // integration (created from main) holds both tasks' files
    const files = await b.f.gh.git('acme', 'app', ['ls-tree', '-r', '--name-only', 'integration']);
    expect(files.split('\n').sort()).toEqual(
      ['README.md', `work/${brand.id}.txt`, `work/${price.id}.txt`].sort(),
    );
    expect(await b.f.gh.git('acme', 'app', ['ls-tree', '--name-only', 'main'])).toBe('README.md');
  }, 200_000);
});
