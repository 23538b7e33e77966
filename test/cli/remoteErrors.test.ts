import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRemoteHarness, startCli, type RemoteHarness } from './remoteHarness.ts';

/** A port nothing listens on (taken, then released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe('baton --server: errors', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-remote-err-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (args: string[], env: Record<string, string> = {}) =>
    startCli(args, { BATON_CREDENTIALS_FILE: join(dir, 'credentials.json'), ...env }, dir).done;

  it('no server listening: exit 69 naming the URL and how to fix it', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await cli(['--server', url, 'runs', 'ls']);
    expect(r.code).toBe(69);
    expect(r.stderr).toBe(
      `error: cannot reach Baton at ${url} (ECONNREFUSED): is \`baton serve\` running? set --server or BATON_SERVER\n`,
    );
    const json = await cli(['--json', 'queue'], { BATON_SERVER: `${url}/` });
    expect(json.code).toBe(69);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'unreachable' } });
  });

  it('refuses --server with --data-dir, and a server URL that is not one', async () => {
    const both = await cli(['--server', 'http://127.0.0.1:1', '--data-dir', dir, 'runs', 'ls']);
    expect(both.code).toBe(64);
    expect(both.stderr).toContain('give one or the other');
    const bad = await cli(['runs', 'ls'], { BATON_SERVER: 'ftp://host' });
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('error: server URL "ftp://host" must start with http:// or https://');
    const serve = await cli(['--server', 'http://127.0.0.1:1', 'serve']);
    expect(serve.code).toBe(64);
  });

  describe('a stub server answering problems', () => {
    let stub: Server;
    let url: string;
    let answer: { status: number; body: unknown; type?: string };
    const seen: IncomingHttpHeaders[] = [];
    beforeAll(async () => {
      stub = createServer((req, res) => {
        seen.push(req.headers);
        res.writeHead(answer.status, {
          'content-type': answer.type ?? 'application/problem+json',
          'x-request-id': 'req-42',
        });
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      });
      await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(stub.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      stub.closeAllConnections();
      await new Promise((r) => stub.close(r));
    });
    beforeEach(() => {
      seen.length = 0;
    });

    const problem = (status: number, code: string, detail: string, extra: object = {}) => ({
      status,
      body: { type: `urn:baton:problem:${code}`, title: 'x', status, code, detail, instance: '/', ...extra },
    });

    it('401: says so clearly and how to give a token; sends the token, Accept and User-Agent', async () => {
      answer = problem(401, 'unauthenticated', 'a bearer token is required');
      const none = await cli(['--server', url, 'runs', 'ls']);
      expect(none.code).toBe(77);
      expect(none.stderr).toBe(
        'error: 401 unauthenticated: a bearer token is required\nhint: no token was sent: set BATON_TOKEN or run `baton login`\n',
      );
      expect(seen[0]).toMatchObject({ accept: 'application/json', 'user-agent': 'baton-cli/0.1.0' });
      expect(seen[0]?.authorization).toBeUndefined();

      // the credentials file's token for this server (its URL normalized)
      writeFileSync(
        join(dir, 'credentials.json'),
        JSON.stringify({ servers: { [`${url}/`]: { token: 'baton_pat_fromfile' } } }),
        { mode: 0o600 },
      );
      const refused = await cli(['--server', url, 'runs', 'show', 'abc']);
      expect(refused.code).toBe(77);
      expect(refused.stderr).toContain(
        'hint: the server refused the token: set BATON_TOKEN or run `baton login`',
      );
      expect(seen[1]?.authorization).toBe('Bearer baton_pat_fromfile');
      // BATON_TOKEN wins over the file
      await cli(['--server', url, 'queue'], { BATON_TOKEN: 'baton_pat_fromenv' });
      expect(seen[2]?.authorization).toBe('Bearer baton_pat_fromenv');
    });

    it('403, 404, 409, 5xx and a non-Baton answer map to the exit codes of local mode', async () => {
      const run = async (args: string[]) => cli(['--server', url, ...args], { BATON_TOKEN: 't' });
      answer = problem(403, 'forbidden', 'viewers cannot cancel runs', { hint: 'ask a maintainer' });
      expect(await run(['cancel', 'abc'])).toMatchObject({
        code: 77,
        stderr: 'error: 403 forbidden: viewers cannot cancel runs\nhint: ask a maintainer\n',
      });
      answer = problem(404, 'not_found', 'no run matches "abc"', { field: 'run', hint: 'list runs' });
      expect(await run(['runs', 'show', 'abc'])).toMatchObject({
        code: 69,
        stderr: 'error: no run matches "abc"\nhint: list runs\n',
      });
      answer = problem(409, 'invalid_state', 'run abc is succeeded');
      expect((await run(['pause', 'abc'])).code).toBe(65);
      answer = problem(500, 'internal', 'internal error', { request_id: 'req-42' });
      const boom = await run(['runs', 'ls']);
      expect(boom.code).toBe(69);
      expect(boom.stderr).toContain(
        `error: Baton at ${url} failed on GET /api/v1/runs (500 internal): internal error`,
      );
      expect(boom.stderr).toContain('(request id req-42)');
      answer = problem(503, 'database_unavailable', 'the database is unavailable');
      expect(await run(['queue'])).toMatchObject({ code: 69 });
      answer = { status: 404, body: '<html>nope</html>', type: 'text/html' };
      const html = await run(['runs', 'ls']);
      expect(html.code).toBe(69);
      expect(html.stderr).toContain('is --server / BATON_SERVER the address of a Baton server?');
    });
  });

  it('a real server: an unknown run id gets the not-found exit code and the engine’s message', async () => {
    let h: RemoteHarness | undefined;
    try {
      h = await createRemoteHarness('sqlite');
      const r = await h.remote(['runs', 'show', '0196ffff']);
      expect(r.code).toBe(69);
      expect(r.stderr).toBe('error: no run matches "0196ffff"\nhint: list runs with `baton runs ls`\n');
      const j = await h.remote(['--json', 'logs', '0196ffff-ffff']);
      expect(j.code).toBe(69);
      expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'not_found' } });
      expect((await h.remote(['runs', 'show', 'not-hex'])).code).toBe(64); // checked before any request
      // no token: a server with token auth answers 401 (one without it, as before auth, answers)
      const anon = await h.remote(['runs', 'ls'], { BATON_TOKEN: '' });
      if (anon.code !== 0) {
        expect(anon.code).toBe(77);
        expect(anon.stderr).toMatch(
          /^error: 401 unauthenticated: .*\nhint: no token was sent: set BATON_TOKEN/,
        );
      }
    } finally {
      await h?.close();
    }
  });
});
