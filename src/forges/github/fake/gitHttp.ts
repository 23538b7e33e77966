import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isolatedGitEnv, type GitRunner } from './git.ts';

export interface GitHttpCall {
  req: IncomingMessage;
  res: ServerResponse;
  /** the directory holding `owner/name.git` */
  projectRoot: string;
  /** `/owner/name.git/info/refs` */
  pathInfo: string;
  /** the raw query string, without `?` */
  query: string;
  remoteUser?: string;
  git: GitRunner;
}

/** Is this smart-HTTP request part of a push (receive-pack)? */
export function isPush(pathInfo: string, query: URLSearchParams): boolean {
  return pathInfo.endsWith('/git-receive-pack') || query.get('service') === 'git-receive-pack';
}

function splitHead(buf: Buffer): { head: string; rest: Buffer } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return undefined;
  const useCrlf = crlf >= 0 && (lf < 0 || crlf < lf);
  const at = useCrlf ? crlf : lf;
  return { head: buf.subarray(0, at).toString('latin1'), rest: buf.subarray(at + (useCrlf ? 4 : 2)) };
}

/** Serves one request through `git http-backend` as a CGI; resolves with its exit code once the response ended. */
export function serveGitHttp(c: GitHttpCall): Promise<number> {
  const h = c.req.headers;
  const env = isolatedGitEnv({
    GIT_PROJECT_ROOT: c.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: c.pathInfo,
    REQUEST_METHOD: c.req.method ?? 'GET',
    QUERY_STRING: c.query,
    CONTENT_TYPE: h['content-type'] ?? '',
    REMOTE_ADDR: c.req.socket.remoteAddress ?? '127.0.0.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    ...(h['content-length'] ? { CONTENT_LENGTH: h['content-length'] } : {}),
    ...(h['content-encoding'] ? { HTTP_CONTENT_ENCODING: h['content-encoding'] } : {}),
    ...(typeof h['git-protocol'] === 'string'
      ? { GIT_PROTOCOL: h['git-protocol'], HTTP_GIT_PROTOCOL: h['git-protocol'] }
      : {}),
    ...(c.remoteUser ? { REMOTE_USER: c.remoteUser } : {}),
  });
  return new Promise((resolve) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    c.git.children.add(child);
    let pending: Buffer | undefined = Buffer.alloc(0);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdin.on('error', () => undefined);
    c.req.pipe(child.stdin);
    c.res.on('close', () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (pending === undefined) {
        c.res.write(chunk);
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      const split = splitHead(pending);
      if (!split) return;
      pending = undefined;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of split.head.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]) || 500;
        else headers[name] = value;
      }
      c.res.writeHead(status, headers);
      if (split.rest.length > 0) c.res.write(split.rest);
    });
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      c.git.children.delete(child);
      if (pending !== undefined && !c.res.headersSent) {
        c.res.writeHead(500, { 'content-type': 'text/plain' });
        c.res.end(`git http-backend failed: ${stderr}`);
      } else c.res.end();
      resolve(code);
    };
    child.on('error', () => finish(-1));
    child.on('close', (code) => finish(code ?? -1));
  });
}
