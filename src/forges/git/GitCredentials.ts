import { BatonError } from '../../domain/errors.ts';

/**
 * Where git's HTTP credentials come from (the GitHub App installation token provider, a PAT…).
 * Called right before every network command, so tokens may be short-lived. The headers are given
 * to that one git process through its environment (`http.<origin>.extraHeader`): never written
 * to a config file, a worktree or argv, and never seen by an agent. Not called for local paths,
 * `file://` or ssh URLs.
 */
export interface GitCredentials {
  /** e.g. `{ Authorization: 'Basic ' + base64('x-access-token:' + token) }`; `{}` for none */
  headers(url: string, signal: AbortSignal): Promise<Record<string, string>>;
}

/** For local, `file://` and public repositories. */
export const NO_GIT_CREDENTIALS: GitCredentials = { headers: async () => ({}) };

/** A fixed token sent as GitHub expects it for git over HTTPS (`x-access-token` basic auth). */
export function tokenCredentials(token: string | (() => Promise<string> | string)): GitCredentials {
  return {
    async headers() {
      const value = typeof token === 'string' ? token : await token();
      const basic = Buffer.from(`x-access-token:${value}`).toString('base64');
      return { Authorization: `Basic ${basic}` };
    },
  };
}

/**
 * Per-command config carrying the headers of `credentials` for `url`, scoped to the URL's origin
 * (`http.https://github.com/.extraHeader`) so a redirect elsewhere does not get them. Empty for
 * non-HTTP URLs. Rejects URLs that embed a password: credentials belong to the port.
 */
export async function credentialConfig(
  url: string,
  credentials: GitCredentials,
  signal: AbortSignal,
): Promise<Array<[string, string]>> {
  if (!/^https?:\/\//i.test(url)) return [];
  const parsed = new URL(url);
  if (parsed.password !== '') {
    throw new BatonError(
      'invalid_input',
      `the remote URL of ${parsed.host}${parsed.pathname} embeds a password`,
      {
        hint: 'use the plain URL and provide the token through the GitCredentials port',
      },
    );
  }
  signal.throwIfAborted();
  const headers = await credentials.headers(url, signal);
  const key = `http.${parsed.protocol}//${parsed.host}/.extraHeader`;
  const pairs: Array<[string, string]> = Object.entries(headers).map(([name, value]) => {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) {
      throw new BatonError('invalid_input', `credential header "${name}" contains a line break`);
    }
    return [key, `${name}: ${value}`];
  });
  // An empty value first resets any extraHeader from the repository's own config.
  return pairs.length === 0 ? [] : [[key, ''], ...pairs];
}
