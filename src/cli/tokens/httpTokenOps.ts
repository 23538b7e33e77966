import type { HttpClient } from '../remote/httpClient.ts';
import type { NewToken, TokenOps, TokenView } from './tokenOps.ts';

/** `baton token` over the API: the caller's own tokens (instance administrators: anyone's). */
export function httpTokenOps(http: HttpClient): TokenOps {
  return {
    async create(t) {
      const body = {
        name: t.name,
        expires_in_days: t.expiresInDays,
        ...(t.workspace === undefined ? {} : { workspace: t.workspace }),
        ...(t.role === undefined ? {} : { role: t.role }),
        ...(t.user === undefined ? {} : { user: t.user }),
      } satisfies Record<string, unknown> & Pick<NewToken, 'name'>;
      return (await http.json<TokenView & { secret: string }>('POST', '/tokens', { body })).body;
    },
    async list(o) {
      const items: TokenView[] = [];
      let cursor: string | undefined;
      do {
        const page = await http.json<{ items: TokenView[]; next_cursor: string | null }>('GET', '/tokens', {
          query: {
            limit: 500,
            cursor,
            ...(o.all ? { all: 'true' } : {}),
            ...(o.user ? { user: o.user } : {}),
          },
        });
        items.push(...page.body.items);
        cursor = page.body.next_cursor ?? undefined;
      } while (cursor);
      return items;
    },
    async revoke(id) {
      return (await http.json<TokenView>('DELETE', `/tokens/${encodeURIComponent(id)}`)).body;
    },
  };
}
