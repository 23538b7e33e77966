import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AgentInvocation, AgentLaunch } from './AgentRuntime.ts';

/**
 * The child's whole environment: PATH (from the host), a private TMPDIR, the granted variables, the
 * extras, and what the adapter needs (it wins). Nothing else of the server's env is passed on.
 */
export function childEnv(
  launch: AgentLaunch,
  inv: AgentInvocation,
  hostEnv: NodeJS.ProcessEnv,
  extraEnv: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: hostEnv.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    TMPDIR: join(launch.homeDir, 'tmp'),
    ...launch.grantedEnv,
    ...extraEnv,
    ...inv.env,
  };
}

/** Creates the isolated home (and its tmp) and writes the adapter's config files, private. */
export async function writeLaunchFiles(launch: AgentLaunch, inv: AgentInvocation): Promise<void> {
  await mkdir(join(launch.homeDir, 'tmp'), { recursive: true, mode: 0o700 });
  for (const f of inv.files) {
    await mkdir(dirname(f.path), { recursive: true, mode: 0o700 });
    await writeFile(f.path, f.content, { mode: 0o600 });
  }
}

/** The values to redact from the transcript: the API key, the granted secrets. */
export function launchSecrets(launch: AgentLaunch): string[] {
  const values = Object.values(launch.grantedEnv);
  if (launch.endpoint.apiKey !== undefined) values.push(launch.endpoint.apiKey);
  return values;
}
