import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const ms = z.coerce.number().int().positive();

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
}
