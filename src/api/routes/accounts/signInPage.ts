import type { FastifyInstance } from 'fastify';
import { access } from '../../auth/accessRule.ts';

/**
 * `GET /signin#code=…`: the page behind the one-time link `baton serve` prints. The code travels in
 * the URL fragment, which browsers never send to the server (so it stays out of access logs); the
 * page's script exchanges it at `POST /api/v1/auth/sign-in` and keeps the session token in the browser.
 */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baton: sign in</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}
code{background:#f3f3f3;padding:.2rem .4rem;word-break:break-all}.err{color:#b00020}</style></head>
<body><h1>Baton</h1><p id="status">Signing in…</p>
<script>
(async () => {
  const status = document.getElementById('status');
  const code = new URLSearchParams(location.hash.slice(1)).get('code');
  history.replaceState(null, '', location.pathname);
  if (!code) { status.className = 'err'; status.textContent = 'This link has no sign-in code. Use the link printed by baton serve.'; return; }
  const res = await fetch('/api/v1/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { status.className = 'err'; status.textContent = (body.detail || 'Sign-in failed') + (body.hint ? ' (' + body.hint + ')' : ''); return; }
  localStorage.setItem('baton.token', body.token);
  status.textContent = 'Signed in as ' + body.user.login + ' until ' + new Date(body.expires_at).toLocaleString() + '.';
})();
</script></body></html>`;

export async function signInPage(app: FastifyInstance): Promise<void> {
  app.get('/signin', { config: { access: access.public() }, schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
      )
      .send(PAGE),
  );
}
