import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { BatonError } from '../../domain/errors.ts';
import { normalizeServerUrl } from './serverUrl.ts';

/**
 * The CLI's credentials file:
 * `{"servers": {"<url>": {"token": "…", …}}, "default_server": "<url>"}`. Server URLs are kept
 * normalized (see normalizeServerUrl); other keys of an entry (user, created_at…) are preserved.
 */
export interface Credentials {
  servers: Record<string, ServerCredentials>;
  default_server?: string;
}

export interface ServerCredentials {
  token: string;
  [key: string]: unknown;
}

/** `$BATON_CREDENTIALS_FILE`, else `$XDG_CONFIG_HOME/baton/credentials.json`, else `~/.config/baton/credentials.json`. */
export function credentialsPath(env: NodeJS.ProcessEnv, cwd = process.cwd(), home = homedir()): string {
  if (env.BATON_CREDENTIALS_FILE) return resolve(cwd, env.BATON_CREDENTIALS_FILE);
  // the XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored
  const xdg = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : null;
  return join(xdg ?? join(env.HOME || home, '.config'), 'baton', 'credentials.json');
}

/** Reads the file; a missing file is an empty one, an unreadable or malformed one is a config error. */
export async function readCredentials(path: string): Promise<Credentials> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
    throw invalid(path, (e as Error).message);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalid(path, `not JSON: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(path, 'not a JSON object');
  const { servers = {}, default_server: def } = raw as { servers?: unknown; default_server?: unknown };
  if (servers === null || typeof servers !== 'object' || Array.isArray(servers))
    throw invalid(path, '"servers" must be an object');
  const out: Credentials = { servers: {} };
  for (const [url, entry] of Object.entries(servers as Record<string, unknown>)) {
    const token = (entry as { token?: unknown } | null)?.token;
    if (typeof token !== 'string' || token === '')
      throw invalid(path, `servers["${url}"].token must be a non-empty string`);
    out.servers[urlIn(path, url)] = { ...(entry as ServerCredentials) };
  }
  if (def !== undefined) {
    if (typeof def !== 'string') throw invalid(path, '"default_server" must be a string');
    out.default_server = urlIn(path, def);
  }
  return out;
}

function urlIn(path: string, url: string): string {
  try {
    return normalizeServerUrl(url);
  } catch {
    throw invalid(path, `"${url}" is not a server URL`);
  }
}

/**
 * Writes the file atomically (a temporary file renamed over it), readable by its owner only (0600);
 * a missing directory is created 0700.
 */
export async function writeCredentials(path: string, c: Credentials): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(tmp, 0o600); // whatever the umask
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new BatonError('config_invalid', `cannot write credentials file ${path}: ${(e as Error).message}`, {
      field: 'credentials',
      cause: e,
    });
  }
}

/** The token stored for a server, if any. */
export function tokenFor(c: Credentials, server: string): string | undefined {
  return c.servers[normalizeServerUrl(server)]?.token;
}

/** The file with `token` stored for `server` (other keys of its entry kept), optionally as the default. */
export function withServerToken(
  c: Credentials,
  server: string,
  token: string,
  extra: Record<string, unknown> = {},
  makeDefault = false,
): Credentials {
  const url = normalizeServerUrl(server);
  return {
    ...c,
    servers: { ...c.servers, [url]: { ...c.servers[url], ...extra, token } },
    ...(makeDefault ? { default_server: url } : {}),
  };
}

/** The file without `server` (and without it as the default). */
export function withoutServer(c: Credentials, server: string): Credentials {
  const url = normalizeServerUrl(server);
  const { [url]: _removed, ...servers } = c.servers;
  const { default_server: def, ...rest } = c;
  return { ...rest, servers, ...(def === undefined || def === url ? {} : { default_server: def }) };
}

/** Stores a token for a server (read, change, write). */
export async function saveServerToken(
  path: string,
  server: string,
  token: string,
  o: { extra?: Record<string, unknown>; makeDefault?: boolean } = {},
): Promise<void> {
  const c = await readCredentials(path);
  await writeCredentials(path, withServerToken(c, server, token, o.extra, o.makeDefault));
}

/** Forgets a server's token; false when none was stored. */
export async function removeServerToken(path: string, server: string): Promise<boolean> {
  const c = await readCredentials(path);
  if (c.servers[normalizeServerUrl(server)] === undefined) return false;
  await writeCredentials(path, withoutServer(c, server));
  return true;
}

/** A warning when others may read the file (it holds tokens), else null. */
export async function credentialsPermissionWarning(path: string): Promise<string | null> {
  if (process.platform === 'win32') return null;
  const s = await stat(path).catch(() => null);
  if (!s || (s.mode & 0o077) === 0) return null;
  return `warning: ${path} is readable by other users (mode ${(s.mode & 0o777).toString(8)}); run \`chmod 600 ${path}\``;
}

function invalid(path: string, why: string): BatonError {
  return new BatonError('config_invalid', `invalid credentials file ${path}: ${why}`, {
    field: 'credentials',
    hint: 'expected {"servers": {"<url>": {"token": "…"}}, "default_server": "<url>"}; fix or remove it',
  });
}
