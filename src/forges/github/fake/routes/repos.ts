import { fail, noContent, notFound, ok, page, route, str, validationFailed, type Route } from '../http.ts';
import type { GithubService } from '../service.ts';
import { branchJson, commitJson, diffEntryJson, refJson, shortBranchJson } from '../gitShapes.ts';
import { fullRepoJson, type Schemas } from '../shapes.ts';
import { actor } from './actor.ts';

const REFS_DOCS = 'https://docs.github.com/rest/git/refs';

/** Repository, branches and git refs — read from and written to the bare repository. */
export function repoRoutes(svc: GithubService): Route[] {
  const s = svc.state;
  const g = svc.git;
  const visibleRefs = async (gitDir: string) =>
    (await g.refs(gitDir)).filter((x) => x.ref.startsWith('refs/heads/') || x.ref.startsWith('refs/tags/'));

  return [
    route('GET', '/repos/:owner/:repo', (c) => ok(fullRepoJson(s, c.repo))),

    route('GET', '/repos/:owner/:repo/branches', async (c) => {
      const heads = await g.refs(c.repo.gitDir, 'refs/heads/');
      return page(
        s,
        c,
        heads.map((h) => shortBranchJson(s, c.repo, h.ref.slice('refs/heads/'.length), h.sha)),
      );
    }),

    route('GET', '/repos/:owner/:repo/branches/*branch', async (c) => {
      const name = c.params.branch ?? '';
      const sha = await g.branchSha(c.repo.gitDir, name);
      if (!sha)
        return fail(404, 'Branch not found', 'https://docs.github.com/rest/branches/branches#get-a-branch');
      return ok(branchJson(s, c.repo, name, await g.commit(c.repo.gitDir, sha)));
    }),

    route('GET', '/repos/:owner/:repo/commits/:ref', async (c) => {
      const sha = await g.resolve(c.repo.gitDir, c.params.ref ?? '');
      if (!sha)
        return fail(
          422,
          `No commit found for SHA: ${c.params.ref}`,
          'https://docs.github.com/rest/commits/commits#get-a-commit',
        );
      const info = await g.commit(c.repo.gitDir, sha);
      const files = await g.diff(
        c.repo.gitDir,
        info.parents[0] ?? '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
        sha,
      );
      const additions = files.reduce((n, f) => n + f.additions, 0);
      const deletions = files.reduce((n, f) => n + f.deletions, 0);
      const body: Schemas['commit'] = {
        ...commitJson(s, c.repo, info),
        stats: { additions, deletions, total: additions + deletions },
        files: files.map((f) => diffEntryJson(s, c.repo, sha, f)),
      };
      return ok(body);
    }),

    route('GET', '/repos/:owner/:repo/git/refs', async (c) =>
      page(
        s,
        c,
        (await visibleRefs(c.repo.gitDir)).map((x) => refJson(s, c.repo, x.ref, x.sha, x.type)),
      ),
    ),

    route('GET', '/repos/:owner/:repo/git/ref/*ref', async (c) => {
      const want = `refs/${c.params.ref ?? ''}`;
      const hit = (await g.refs(c.repo.gitDir)).find((x) => x.ref === want);
      return hit
        ? ok(refJson(s, c.repo, hit.ref, hit.sha, hit.type))
        : notFound(`${REFS_DOCS}#get-a-reference`);
    }),

    route('GET', '/repos/:owner/:repo/git/matching-refs/*ref', async (c) => {
      const prefix = `refs/${c.params.ref ?? ''}`;
      const hits = (await g.refs(c.repo.gitDir)).filter((x) => x.ref.startsWith(prefix));
      return ok(hits.map((x) => refJson(s, c.repo, x.ref, x.sha, x.type)));
    }),

    // the legacy form: an exact ref, else every ref under the prefix
    route('GET', '/repos/:owner/:repo/git/refs/*ref', async (c) => {
      const want = `refs/${c.params.ref ?? ''}`;
      const refs = await g.refs(c.repo.gitDir);
      const exact = refs.find((x) => x.ref === want);
      if (exact) return ok(refJson(s, c.repo, exact.ref, exact.sha, exact.type));
      const under = refs.filter((x) => x.ref.startsWith(`${want}/`));
      return under.length > 0
        ? ok(under.map((x) => refJson(s, c.repo, x.ref, x.sha, x.type)))
        : notFound(`${REFS_DOCS}#get-a-reference`);
    }),

    route('POST', '/repos/:owner/:repo/git/refs', async (c) => {
      const ref = str(c.body.ref);
      const sha = str(c.body.sha);
      const docs = `${REFS_DOCS}#create-a-reference`;
      if (!ref || !sha)
        return validationFailed(
          [{ resource: 'Reference', code: 'missing_field', field: ref ? 'sha' : 'ref' }],
          docs,
        );
      if (!/^refs\/[^/]+\/.+/.test(ref))
        return fail(422, "Reference name must start with 'refs/' and have at least two slashes.", docs);
      const target = await g.resolve(c.repo.gitDir, sha);
      if (!target || !/^[0-9a-f]{40}$/.test(sha)) return fail(422, 'Object does not exist', docs);
      const before = await svc.refMap(c.repo);
      if (!(await g.updateRef(c.repo.gitDir, ref, target, '')))
        return fail(422, 'Reference already exists', docs);
      await svc.afterRefsChanged(c.repo, before, actor(c));
      return ok(refJson(s, c.repo, ref, target, 'commit'), 201);
    }),

    route('PATCH', '/repos/:owner/:repo/git/refs/*ref', async (c) => {
      const ref = `refs/${c.params.ref ?? ''}`;
      const sha = str(c.body.sha);
      const docs = `${REFS_DOCS}#update-a-reference`;
      if (!sha)
        return validationFailed([{ resource: 'Reference', code: 'missing_field', field: 'sha' }], docs);
      const before = await svc.refMap(c.repo);
      const old = before.get(ref);
      if (!old) return fail(422, 'Reference does not exist', docs);
      const target = await g.resolve(c.repo.gitDir, sha);
      if (!target) return fail(422, 'Object does not exist', docs);
      if (c.body.force !== true && !(await g.isAncestor(c.repo.gitDir, old, target)))
        return fail(422, 'Update is not a fast forward', docs);
      if (!(await g.updateRef(c.repo.gitDir, ref, target, old)))
        return fail(422, 'Reference cannot be updated', docs);
      await svc.afterRefsChanged(c.repo, before, actor(c));
      return ok(refJson(s, c.repo, ref, target, 'commit'));
    }),

    route('DELETE', '/repos/:owner/:repo/git/refs/*ref', async (c) => {
      const ref = `refs/${c.params.ref ?? ''}`;
      const before = await svc.refMap(c.repo);
      const old = before.get(ref);
      if (!old) return fail(422, 'Reference does not exist', `${REFS_DOCS}#delete-a-reference`);
      await g.updateRef(c.repo.gitDir, ref, '', old);
      await svc.afterRefsChanged(c.repo, before, actor(c));
      return noContent();
    }),
  ];
}
