import { issueInstallationToken } from '../auth.ts';
import { fail, notFound, ok, page, route, type RestCall, type Route } from '../http.ts';
import type { GithubService } from '../service.ts';
import { appPermissions, installationJson, integrationJson, repoJson, type Schemas } from '../shapes.ts';
import { stamp, type FakeApp, type FakeInstallation } from '../state.ts';
import { num } from './actor.ts';

const APPS_DOCS = 'https://docs.github.com/rest/apps/apps';

/** GitHub App endpoints: JWT-authenticated app routes and installation-token routes. */
export function appRoutes(svc: GithubService): Route[] {
  const s = svc.state;
  const appOf = (c: RestCall): FakeApp => {
    if (c.principal.kind !== 'app') throw new Error('app route without an app JWT');
    return c.principal.app;
  };
  const installationsOf = (app: FakeApp): FakeInstallation[] =>
    [...s.installations.values()].filter((i) => i.app.id === app.id);

  return [
    route('GET', '/app', (c) => ok(integrationJson(s, appOf(c))), { auth: 'app' }),

    route(
      'GET',
      '/app/installations',
      (c) =>
        page(
          s,
          c,
          installationsOf(appOf(c)).map((i) => installationJson(s, i)),
        ),
      {
        auth: 'app',
      },
    ),

    route(
      'GET',
      '/app/installations/:id',
      (c) => {
        const i = installationsOf(appOf(c)).find((x) => x.id === num(c.params.id));
        return i
          ? ok(installationJson(s, i))
          : notFound(`${APPS_DOCS}#get-an-installation-for-the-authenticated-app`);
      },
      { auth: 'app' },
    ),

    route(
      'POST',
      '/app/installations/:id/access_tokens',
      (c) => {
        const docs = `${APPS_DOCS}#create-an-installation-access-token-for-an-app`;
        const inst = installationsOf(appOf(c)).find((x) => x.id === num(c.params.id));
        if (!inst) return notFound(docs);
        const visible = [...s.repos.values()].filter(
          (r) => s.installationFor(r, inst.app.id)?.id === inst.id,
        );
        let narrowed: typeof visible | undefined;
        const names = Array.isArray(c.body.repositories) ? c.body.repositories : undefined;
        const ids = Array.isArray(c.body.repository_ids) ? c.body.repository_ids : undefined;
        if (names || ids) {
          narrowed = visible.filter(
            (r) =>
              names?.some((n) => typeof n === 'string' && n.toLowerCase() === r.name.toLowerCase()) ===
                true || ids?.includes(r.id) === true,
          );
          if (narrowed.length !== (names?.length ?? 0) + (ids?.length ?? 0))
            return fail(
              422,
              'There is at least one repository that does not exist or is not accessible to the parent installation.',
              docs,
            );
        }
        const wanted = c.body.permissions;
        const permissions =
          typeof wanted === 'object' && wanted !== null
            ? Object.fromEntries(
                Object.entries(wanted as Record<string, unknown>).filter(
                  ([k, v]) =>
                    typeof v === 'string' && (inst.permissions[k] === 'write' || inst.permissions[k] === v),
                ) as [string, string][],
              )
            : inst.permissions;
        const t = issueInstallationToken(s, inst, {
          ...(narrowed ? { repositories: narrowed.map((r) => s.fullName(r)) } : {}),
          permissions,
        });
        const body: Schemas['installation-token'] = {
          token: t.token,
          expires_at: stamp(t.expiresAt),
          permissions: appPermissions(permissions),
          repository_selection: inst.repositories === 'all' && !narrowed ? 'all' : 'selected',
          ...(narrowed ? { repositories: narrowed.map((r) => repoJson(s, r)) } : {}),
        };
        return ok(body, 201);
      },
      { auth: 'app' },
    ),

    route(
      'GET',
      '/repos/:owner/:repo/installation',
      (c) => {
        const inst = s.installationFor(c.repo, appOf(c).id);
        return inst
          ? ok(installationJson(s, inst))
          : notFound(`${APPS_DOCS}#get-a-repository-installation-for-the-authenticated-app`);
      },
      { auth: 'app' },
    ),

    route(
      'GET',
      '/installation/repositories',
      (c) => {
        if (c.principal.kind !== 'installation')
          throw new Error('installation route without an installation token');
        const p = c.principal;
        const repos = [...s.repos.values()].filter((r) => s.canSee(p, r));
        const all = page(
          s,
          c,
          repos.map((r) => repoJson(s, r)),
        );
        const body: {
          total_count: number;
          repository_selection: 'all' | 'selected';
          repositories: Schemas['repository'][];
        } = {
          total_count: repos.length,
          repository_selection:
            p.installation.repositories === 'all' && !p.token.repositories ? 'all' : 'selected',
          repositories: all.body as Schemas['repository'][],
        };
        return { ...all, body };
      },
      { auth: 'installation' },
    ),
  ];
}
