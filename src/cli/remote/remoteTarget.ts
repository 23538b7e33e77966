import { credentialsPath, credentialsPermissionWarning, readCredentials, tokenFor } from './credentials.ts';
import { isLoopbackUrl, normalizeServerUrl } from './serverUrl.ts';

/** The server the CLI talks to in remote mode, and the token it sends. */
export interface RemoteTarget {
  server: string;
  token: string | undefined;
  /** where the token came from, for messages */
  tokenSource: 'BATON_TOKEN' | 'credentials file' | null;
  /** warnings to print once (a readable credentials file, a token sent in clear text) */
  warnings: string[];
}

/**
 * Remote mode is on when `--server` or BATON_SERVER names a server (nothing else turns it on). Its
 * token: BATON_TOKEN, else the credentials file's entry for that URL (see credentials.ts), else none.
 */
export async function resolveRemoteTarget(
  serverOption: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<RemoteTarget | null> {
  const raw = serverOption ?? env.BATON_SERVER;
  if (raw === undefined || raw.trim() === '') return null;
  const server = normalizeServerUrl(raw);
  const warnings: string[] = [];
  let token = env.BATON_TOKEN?.trim() || undefined;
  let tokenSource: RemoteTarget['tokenSource'] = token ? 'BATON_TOKEN' : null;
  if (!token) {
    const path = credentialsPath(env, cwd);
    token = tokenFor(await readCredentials(path), server);
    if (token) {
      tokenSource = 'credentials file';
      const w = await credentialsPermissionWarning(path);
      if (w) warnings.push(w);
    }
  }
  if (token && server.startsWith('http://') && !isLoopbackUrl(server))
    warnings.push(`warning: the token is sent in clear text to ${server}; use https://`);
  return { server, token, tokenSource, warnings };
}
