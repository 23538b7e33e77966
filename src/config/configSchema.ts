import { z } from 'zod';
import { PROVIDERS } from '../domain/agents/providerOf.ts';
import { RUNTIMES } from '../domain/agents/roleSchema.ts';
import type { PriceTable } from '../agents/transcript/priceTable.ts';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const ms = z.coerce.number().int().positive();

const usdPerMillion = z
  .number({ error: 'must be a number: USD per million tokens' })
  .min(0, 'must be 0 or more (USD per million tokens)');

/**
 * USD prices per million tokens by model name or glob (`*`, `?`), for agent runtimes that report
 * tokens but no cost (Codex, Gemini CLI): `agents.prices: {"gpt-5*": {input: 1.25, output: 10,
 * cached_input: 0.125}}`. See priceTable.ts (exact name first, then the longest matching glob).
 */
const agentPricesSchema = z
  .record(
    z.string(),
    z
      .object({ input: usdPerMillion, output: usdPerMillion, cached_input: usdPerMillion.optional() })
      .strict(),
    {
      error: (iss) =>
        iss.code === 'invalid_type'
          ? 'must map model names or globs to {input, output, cached_input?} USD per million tokens'
          : undefined,
    },
  )
  .superRefine((table, ctx) => {
    for (const key of Object.keys(table)) {
      if (!/^\S{1,200}$/.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'a model name or glob is 1 to 200 characters, without spaces',
        });
      }
    }
  })
  .default({});

/**
 * Concurrency limits of `agent:` steps per pool (config file): `agents.concurrency.runtimes:
 * {claude-code: 4}` and `agents.concurrency.providers: {anthropic: 8}`. A `runtime:<id>` /
 * `provider:<name>` row of the `concurrency_limits` table (`PUT /api/v1/queue/limits/{key}`,
 * `baton queue limit`) overrides the value given here.
 */
const agentsSchema = z
  .object({
    concurrency: z
      .object({
        runtimes: z.partialRecord(z.enum(RUNTIMES), positiveInt).default({}),
        providers: z.partialRecord(z.enum(PROVIDERS), positiveInt).default({}),
      })
      .strict()
      .default({ runtimes: {}, providers: {} }),
    prices: agentPricesSchema,
    /**
     * Named model endpoints that steps (`agent.endpoint`) and roles (`endpoint`) refer to: where the
     * API is, which server variable holds its key (never the key itself), the default model.
     */
    endpoints: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'an endpoint name: letters, digits, _ and -'),
        z
          .object({
            base_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
            api_key_env: z
              .string()
              .regex(/^[A-Z_][A-Z0-9_]*$/, 'the NAME of a server environment variable holding the key')
              .optional(),
            model: z.string().min(1).optional(),
            headers: z.record(z.string(), z.string()).optional(),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();

const POOL_ENTRY = /^(runtime|provider):([a-z0-9-]+)=(\d+)$/;

/**
 * `BATON_AGENT_CONCURRENCY=runtime:claude-code=2,provider:anthropic=8`: agent pool limits from the
 * environment (they win over the config file's `agents.concurrency`). Parsed to `{poolKey: limit}`.
 */
const agentConcurrencyEnv = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const limits: Record<string, number> = {};
    for (const raw of s.split(',')) {
      const entry = raw.trim();
      if (!entry) continue;
      const m = POOL_ENTRY.exec(entry);
      const known = (m?.[1] === 'runtime' ? RUNTIMES : PROVIDERS) as readonly string[];
      if (!m || !known.includes(m[2] ?? '') || Number(m[3]) < 1) {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" must be runtime:<${RUNTIMES.join('|')}>=<n> or provider:<${PROVIDERS.join('|')}>=<n> (n ≥ 1)`,
        });
        continue;
      }
      limits[`${m[1]}:${m[2]}`] = Number(m[3]);
    }
    return limits;
  });

/** How the GitHub forge reaches GitHub (secrets included: never logged or returned). */
export interface GithubConfig {
  apiUrl: string;
  gitUrl: string;
  auth:
    Readonly<{ kind: 'app'; appId: number; privateKey: string }> | Readonly<{ kind: 'token'; token: string }>;
}

/** Every setting, parsed once at start-up (env first; a YAML/JSON config file may add to it). */
export const configSchema = z
  .object({
    BATON_DATA_DIR: z.string().min(1).default('.baton'),
    DATABASE_URL: z
      .string()
      .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'must start with postgres://, postgresql:// or sqlite:')
      .optional(),
    BATON_HOST: z.string().min(1).default('127.0.0.1'),
    BATON_PORT: port.default(3020),
    BATON_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    BATON_GITHUB_WEBHOOK_SECRET: z.string().min(1).optional(),
    // the GitHub forge: REST base URL (GHES: https://host/api/v3), clone base, App or token auth
    BATON_GITHUB_API_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .default('https://api.github.com'),
    BATON_GITHUB_GIT_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .default('https://github.com'),
    BATON_GITHUB_APP_ID: z.coerce
      .number({ error: 'must be the numeric id of the GitHub App' })
      .int()
      .positive('must be the numeric id of the GitHub App')
      .optional(),
    BATON_GITHUB_APP_PRIVATE_KEY: z.string().min(1).optional(),
    BATON_GITHUB_APP_PRIVATE_KEY_FILE: z.string().min(1).optional(),
    BATON_GITHUB_TOKEN: z.string().min(1).optional(),
    // how often missed GitHub App webhook deliveries are looked for and redelivered (App + webhook secret)
    BATON_GITHUB_RECONCILE_MS: ms.default(600_000),
    // the security scanner's findings webhook (`POST /webhooks/security`, HMAC over `timestamp.body`)
    BATON_SECURITY_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    BATON_CONCURRENCY: positiveInt.default(4),
    BATON_LEASE_MS: ms.default(30_000),
    BATON_HEARTBEAT_MS: ms.default(2_000),
    BATON_POLL_MS: ms.default(250),
    BATON_KILL_GRACE_MS: ms.default(5_000),
    BATON_WORKFLOW_DIRS: z.string().default(''),
    BATON_STEP_ENV: z.string().default(''),
    BATON_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    // the task ledger's approval notifications (Slack-style `{"text": …}` and an email webhook)
    BATON_SLACK_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    BATON_EMAIL_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    BATON_EMAIL_TO: z.string().min(1).optional(),
    BATON_AGENT_CONCURRENCY: agentConcurrencyEnv,
    // where this server is reachable from outside (webhook URLs given to Cursor and GitHub)
    BATON_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    // the HMAC secret Cursor signs its status webhooks with (`POST /webhooks/cursor`)
    BATON_CURSOR_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** config file only (nested): see `agentsSchema` */
    agents: agentsSchema.optional(),
  })
  .strict();

export type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  dataDir: string;
  databaseUrl: string | undefined;
  host: string;
  port: number;
  adminToken: string | undefined;
  githubWebhookSecret: string | undefined;
  /**
   * The GitHub forge (`BATON_GITHUB_*`): absent when neither an App nor a token is configured
   * (repositories on GitHub are then refused with a clear error).
   */
  github?: Readonly<GithubConfig> | undefined;
  /**
   * Between two reconcile passes redelivering missed GitHub App webhook deliveries (default 10
   * minutes; only with an App and `BATON_GITHUB_WEBHOOK_SECRET`).
   */
  githubReconcileMs?: number;
  /** the security scanner's webhook secret (`POST /webhooks/security`); absent: the route answers 404 */
  securityWebhookSecret?: string | undefined;
  redisUrl: string | undefined;
  concurrency: number;
  leaseMs: number;
  heartbeatMs: number;
  pollMs: number;
  killGraceMs: number;
  /** extra workflow directories */
  workflowDirs: string[];
  /** names of server environment variables passed through to `run:` steps */
  stepEnv: string[];
  logLevel: RawConfig['BATON_LOG_LEVEL'];
  /** task ledger: Slack incoming-webhook URL for approvals awaited (optional) */
  slackWebhookUrl?: string | undefined;
  /** task ledger: email webhook URL receiving `{to?, subject, text, task, run_id, approval_url?}` (optional) */
  emailWebhookUrl?: string | undefined;
  /** task ledger: the `to` of the email webhook payload (optional) */
  emailTo?: string | undefined;
  /**
   * Concurrency limits of `agent:` steps by pool key, `runtime:<id>` or `provider:<name>` (config
   * file `agents.concurrency`, then `BATON_AGENT_CONCURRENCY`); the `concurrency_limits` table
   * overrides them at run time. Absent: no limit.
   */
  agentPoolLimits?: Readonly<Record<string, number>>;
  /** USD per million tokens by model name or glob (config file `agents.prices`); absent: none */
  agentPrices?: PriceTable;
  /** named model endpoints (config file `agents.endpoints`) */
  agentEndpoints?: Readonly<
    Record<string, { baseUrl?: string; apiKeyEnv?: string; model?: string; headers?: Record<string, string> }>
  >;
  /** the server's public base URL (webhook callbacks); absent: loopback only */
  publicUrl?: string | undefined;
  /** Cursor's webhook secret; with publicUrl, Cursor agent steps finish on `/webhooks/cursor` */
  cursorWebhookSecret?: string | undefined;
}
