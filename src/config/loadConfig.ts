import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BatonError } from '../domain/errors.ts';
import { configSchema, type Config, type GithubConfig, type RawConfig } from './configSchema.ts';

const KNOWN = Object.keys(configSchema.shape);

/**
 * Reads the configuration once: environment variables (the `BATON_*` and documented keys), plus
 * an optional file (`BATON_CONFIG`, YAML or JSON, same keys) that the environment overrides.
 * Fails fast naming the key and what was expected. The result is frozen.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Readonly<Config> {
  const fromFile: Record<string, unknown> = {};
  if (env.BATON_CONFIG) {
    const path = resolve(cwd, env.BATON_CONFIG);
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new BatonError(
        'config_invalid',
        `cannot read BATON_CONFIG file ${path}: ${(e as Error).message}`,
        { field: 'BATON_CONFIG', cause: e },
      );
    }
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new BatonError('config_invalid', `BATON_CONFIG file ${path} must hold a mapping of settings`, {
        field: 'BATON_CONFIG',
      });
    }
    Object.assign(fromFile, parsed);
  }
  const raw: Record<string, unknown> = { ...fromFile };
  for (const key of KNOWN) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const r = configSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => {
      const key = i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(', ') : '?');
      return `  ${key}: ${i.message}`;
    });
    throw new BatonError('config_invalid', `invalid configuration:\n${lines.join('\n')}`, {
      field: String(r.error.issues[0]?.path[0] ?? ''),
      hint: `settings: ${KNOWN.join(', ')}`,
    });
  }
  const c = r.data;
  const list = (s: string) =>
    s
      .split(/[,:]/)
      .map((x) => x.trim())
      .filter(Boolean);
  return Object.freeze({
    dataDir: resolve(cwd, c.BATON_DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    host: c.BATON_HOST,
    port: c.BATON_PORT,
    adminToken: c.BATON_ADMIN_TOKEN,
    githubWebhookSecret: c.BATON_GITHUB_WEBHOOK_SECRET,
    github: githubConfig(c, cwd),
    githubReconcileMs: c.BATON_GITHUB_RECONCILE_MS,
    securityWebhookSecret: c.BATON_SECURITY_WEBHOOK_SECRET,
    redisUrl: c.REDIS_URL,
    concurrency: c.BATON_CONCURRENCY,
    leaseMs: c.BATON_LEASE_MS,
    heartbeatMs: c.BATON_HEARTBEAT_MS,
    pollMs: c.BATON_POLL_MS,
    killGraceMs: c.BATON_KILL_GRACE_MS,
    workflowDirs: list(c.BATON_WORKFLOW_DIRS).map((d) => resolve(cwd, d)),
    stepEnv: list(c.BATON_STEP_ENV),
    logLevel: c.BATON_LOG_LEVEL,
    slackWebhookUrl: c.BATON_SLACK_WEBHOOK_URL,
    emailWebhookUrl: c.BATON_EMAIL_WEBHOOK_URL,
    emailTo: c.BATON_EMAIL_TO,
    agentPoolLimits: Object.freeze({
      ...prefixed('runtime', c.agents?.concurrency.runtimes),
      ...prefixed('provider', c.agents?.concurrency.providers),
      ...c.BATON_AGENT_CONCURRENCY,
    }),
    publicUrl: c.BATON_PUBLIC_URL?.replace(/\/+$/, ''),
    cursorWebhookSecret: c.BATON_CURSOR_WEBHOOK_SECRET,
    agentEndpoints: Object.freeze(
      Object.fromEntries(
        Object.entries(c.agents?.endpoints ?? {}).map(([name, e]) => [
          name,
          Object.freeze({
            ...(e.base_url === undefined ? {} : { baseUrl: e.base_url }),
            ...(e.api_key_env === undefined ? {} : { apiKeyEnv: e.api_key_env }),
            ...(e.model === undefined ? {} : { model: e.model }),
            ...(e.headers === undefined ? {} : { headers: { ...e.headers } }),
          }),
        ]),
      ),
    ),
    agentPrices: Object.freeze(
      Object.fromEntries(
        Object.entries(c.agents?.prices ?? {}).map(([k, v]) => [k, Object.freeze({ ...v })]),
      ),
    ),
  });
}

/** `{claude-code: 2}` → `{'runtime:claude-code': 2}` (agent pool keys). */
function prefixed(
  prefix: string,
  limits: Partial<Record<string, number>> | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(limits ?? {})) if (v !== undefined) out[`${prefix}:${k}`] = v;
  return out;
}

const githubInvalid = (field: string, message: string, hint?: string): BatonError =>
  new BatonError('config_invalid', `invalid configuration:\n  ${field}: ${message}`, {
    field,
    ...(hint ? { hint } : {}),
  });

/**
 * The GitHub forge's settings: a GitHub App (`BATON_GITHUB_APP_ID` with `BATON_GITHUB_APP_PRIVATE_KEY`
 * or `…_FILE`, a PEM) or a token (`BATON_GITHUB_TOKEN`), not both; undefined when neither is set.
 */
function githubConfig(c: RawConfig, cwd: string): Readonly<GithubConfig> | undefined {
  const urls = {
    apiUrl: c.BATON_GITHUB_API_URL.replace(/\/+$/, ''),
    gitUrl: c.BATON_GITHUB_GIT_URL.replace(/\/+$/, ''),
  };
  const inline = c.BATON_GITHUB_APP_PRIVATE_KEY;
  const file = c.BATON_GITHUB_APP_PRIVATE_KEY_FILE;
  if (inline !== undefined && file !== undefined)
    throw githubInvalid(
      'BATON_GITHUB_APP_PRIVATE_KEY',
      'set BATON_GITHUB_APP_PRIVATE_KEY or BATON_GITHUB_APP_PRIVATE_KEY_FILE, not both',
    );
  const hasKey = inline !== undefined || file !== undefined;
  if (c.BATON_GITHUB_APP_ID === undefined) {
    if (hasKey)
      throw githubInvalid('BATON_GITHUB_APP_ID', 'a GitHub App private key is set without the App id');
    return c.BATON_GITHUB_TOKEN === undefined
      ? undefined
      : Object.freeze({
          ...urls,
          auth: Object.freeze({ kind: 'token' as const, token: c.BATON_GITHUB_TOKEN }),
        });
  }
  if (c.BATON_GITHUB_TOKEN !== undefined)
    throw githubInvalid(
      'BATON_GITHUB_TOKEN',
      'configure a GitHub App (BATON_GITHUB_APP_ID) or a token (BATON_GITHUB_TOKEN), not both',
    );
  if (!hasKey)
    throw githubInvalid(
      'BATON_GITHUB_APP_PRIVATE_KEY',
      'the GitHub App needs its private key',
      'set BATON_GITHUB_APP_PRIVATE_KEY (the PEM) or BATON_GITHUB_APP_PRIVATE_KEY_FILE (its path)',
    );
  let pem = inline ?? '';
  if (file !== undefined) {
    const path = resolve(cwd, file);
    try {
      pem = readFileSync(path, 'utf8');
    } catch (e) {
      throw new BatonError(
        'config_invalid',
        `cannot read BATON_GITHUB_APP_PRIVATE_KEY_FILE ${path}: ${(e as Error).message}`,
        { field: 'BATON_GITHUB_APP_PRIVATE_KEY_FILE', cause: e },
      );
    }
  }
  // a PEM given in one line of an env file keeps its line breaks as `\n`
  pem = pem.replace(/\\n/g, '\n').trim();
  if (!/^-----BEGIN (RSA |EC )?PRIVATE KEY-----[\s\S]+-----END (RSA |EC )?PRIVATE KEY-----$/.test(pem))
    throw githubInvalid(
      file === undefined ? 'BATON_GITHUB_APP_PRIVATE_KEY' : 'BATON_GITHUB_APP_PRIVATE_KEY_FILE',
      'must be a PEM private key (-----BEGIN RSA PRIVATE KEY----- … -----END RSA PRIVATE KEY-----)',
      "the .pem file GitHub generated for the App (its App settings, 'Private keys')",
    );
  return Object.freeze({
    ...urls,
    auth: Object.freeze({ kind: 'app' as const, appId: c.BATON_GITHUB_APP_ID, privateKey: `${pem}\n` }),
  });
}
