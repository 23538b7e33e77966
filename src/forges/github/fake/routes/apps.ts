import { issueInstallationToken } from '../auth.ts';
import { fail, notFound, ok, page, route, type RestCall, type Route } from '../http.ts';
import type { GithubService } from '../service.ts';
import { appPermissions, installationJson, integrationJson, repoJson, type Schemas } from '../shapes.ts';
import { stamp, type FakeApp, type FakeInstallation } from '../state.ts';
import type { Delivery } from '../webhooks.ts';
import { num } from './actor.ts';

const APPS_DOCS = 'https://docs.github.com/rest/apps/apps';
const HOOK_DOCS = 'https://docs.github.com/rest/apps/webhooks';

/** One entry of `GET /app/hook/deliveries`. */
function hookDeliveryJson(d: Delivery): Schemas['hook-delivery-item'] {
  const p = d.payload as { installation?: { id?: unknown }; repository?: { id?: unknown } } | null;
  const idOf = (v: { id?: unknown } | undefined): number | null => (typeof v?.id === 'number' ? v.id : null);
  return {
    id: d.hookDeliveryId ?? 0,
    guid: d.id,
    delivered_at: stamp(d.deliveredAt),
    redelivery: d.redelivery,
    duration: 0.01,
    status:
      d.status >= 200 && d.status < 300
        ? 'OK'
        : d.status === 0
          ? 'timed out'
          : `Invalid HTTP Response: ${d.status}`,
    status_code: d.status,
    event: d.event,
    action: d.action ?? null,
    installation_id: idOf(p?.installation),
    repository_id: idOf(p?.repository),
    throttled_at: null,
  };
}

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

    // the App's webhook deliveries, newest first, paged by an opaque `cursor` (GitHub's `Link` rel="next")
    route(
      'GET',
      '/app/hook/deliveries',
      (c) => {
        const perPage = Math.min(100, Math.max(1, Number(c.query.get('per_page') ?? 30) || 30));
        const cursor = c.query.get('cursor');
        const below = cursor === null ? Infinity : Number(cursor);
        if (!Number.isFinite(below) && cursor !== null)
          return fail(422, 'Invalid cursor', `${HOOK_DOCS}#list-deliveries-for-an-app-webhook`);
        const all = [...svc.deliveries]
          .filter((d) => (d.hookDeliveryId ?? 0) < below)
          .sort((a, b) => (b.hookDeliveryId ?? 0) - (a.hookDeliveryId ?? 0));
        const items = all.slice(0, perPage);
        const next = all[perPage] === undefined ? undefined : items[items.length - 1]?.hookDeliveryId;
        const q = new URLSearchParams(c.query);
        q.set('per_page', String(perPage));
        if (next !== undefined) q.set('cursor', String(next));
        return {
          ...ok(items.map(hookDeliveryJson)),
          ...(next === undefined
            ? {}
            : { headers: { link: `<${s.baseUrl}${c.path}?${q.toString()}>; rel="next"` } }),
        };
      },
      { auth: 'app' },
    ),

    route(
      'POST',
      '/app/hook/deliveries/:id/attempts',
      (c) => {
        const d = svc.deliveries.find((x) => x.hookDeliveryId === num(c.params.id));
        if (!d) return notFound(`${HOOK_DOCS}#redeliver-a-delivery-for-an-app-webhook`);
        svc.redeliver(d);
        return ok({}, 202);
      },
      { auth: 'app' },
    ),

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
