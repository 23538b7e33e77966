/** What every `run:` step inherits from the server's environment; nothing else (no secrets). */
const DEFAULT_PASSTHROUGH = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'TERM',
  'SHELL',
];

export function stepBaseEnv(
  extra: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...DEFAULT_PASSTHROUGH, ...extra]) {
    const v = env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
