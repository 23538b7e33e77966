import type { CliContext } from '../context.ts';
import { VERSION } from '../version.ts';
import { HttpBackend } from './httpBackend.ts';
import { HttpClient } from './httpClient.ts';
import type { RemoteTarget } from './remoteTarget.ts';

/**
 * Runs `fn` with the server's backend. Ctrl-C (SIGINT) or SIGTERM aborts the calls in flight: the
 * command ends with exit code 130 (a follower stops following first, see logs/run).
 */
export async function withHttpBackend<T>(
  ctx: CliContext,
  target: RemoteTarget,
  fn: (b: HttpBackend) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const w of target.warnings) ctx.note(w);
    const http = new HttpClient({
      server: target.server,
      token: target.token,
      userAgent: `baton-cli/${VERSION}`,
      signal: stop.signal,
    });
    return await fn(new HttpBackend(http, (line) => ctx.note(line)));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
