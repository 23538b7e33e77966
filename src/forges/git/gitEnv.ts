/** The name and email git records as author or committer. */
export interface GitIdentity {
  name: string;
  email: string;
}

/** Committer of everything Baton writes unless told otherwise. */
export const BATON_GIT_IDENTITY: GitIdentity = Object.freeze({ name: 'Baton', email: 'baton@localhost' });

/**
 * A path that can never exist: a file "inside" /dev/null fails with ENOTDIR, which git treats as
 * an absent file. Used for the global/system config and the hooks directory, so git can neither
 * read nor (if some command tried) write them; `/dev/null` itself would be replaced by a regular
 * file if a `git config --global` ever ran with it as its file.
 */
export const NO_SUCH_PATH = '/dev/null/baton-none';

/**
 * Config every Baton git command runs with (command-line precedence): no hooks, no fsmonitor and
 * no credential helpers (so a repository's or an agent's config cannot run code or read stored
 * credentials on the host), no `ext::` transport, no detached background gc (no leaked process).
 */
export const HARDENING_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['core.hooksPath', NO_SUCH_PATH],
  ['core.fsmonitor', 'false'],
  ['credential.helper', ''],
  ['protocol.ext.allow', 'never'],
  ['gc.autoDetach', 'false'],
  ['maintenance.autoDetach', 'false'],
  ['init.defaultBranch', 'main'],
  ['advice.detachedHead', 'false'],
];

const PASSED_THROUGH = [
  'PATH',
  'TMPDIR',
  'SSH_AUTH_SOCK',
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
];

export interface GitEnvInput {
  author: GitIdentity;
  committer: GitIdentity;
  /** per-command config (credentials headers…), after the hardening config */
  config: ReadonlyArray<readonly [string, string]>;
  /** extra variables, applied last */
  extra: Record<string, string>;
  /** the host environment to take PATH, TMPDIR, SSH_AUTH_SOCK and proxies from */
  host: NodeJS.ProcessEnv;
}

/**
 * The complete environment of a git child. Nothing else of the host environment leaks in (no
 * GIT_DIR from a hook, no HOME config): user and system config are off, prompts are off, the
 * locale is C, identities are explicit. Config goes through GIT_CONFIG_COUNT/KEY/VALUE, which
 * has `-c` precedence but, unlike argv, is not visible to other users in /proc/<pid>/cmdline.
 */
export function gitEnv(input: GitEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_THROUGH) {
    const v = input.host[key];
    if (v !== undefined) env[key] = v;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  Object.assign(env, {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_SYSTEM: NO_SUCH_PATH,
    GIT_CONFIG_GLOBAL: NO_SUCH_PATH,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GCM_INTERACTIVE: 'never',
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
    LC_ALL: 'C',
    LANG: 'C',
    GIT_AUTHOR_NAME: input.author.name,
    GIT_AUTHOR_EMAIL: input.author.email,
    GIT_COMMITTER_NAME: input.committer.name,
    GIT_COMMITTER_EMAIL: input.committer.email,
  });
  const config = [...HARDENING_CONFIG, ...input.config];
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return { ...env, ...input.extra };
}
