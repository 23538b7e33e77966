import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Config } from '../config/configSchema.ts';
import type { Logger } from '../engine/engineDeps.ts';
import type { BatonApp } from '../main/openBaton.ts';
import { BatonError } from '../domain/errors.ts';
import type { Backend } from './backend/Backend.ts';
import type { RemoteTarget } from './remote/remoteTarget.ts';

/** Where the CLI reads and writes: the process by default, something else in tests. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** `baton login --token-stdin` (default: the process's stdin) */
  stdin?: NodeJS.ReadableStream;
}

export interface GlobalOptions {
  json: boolean;
  quiet: boolean;
  dataDir?: string;
  databaseUrl?: string;
  /** `--server <url>`: remote mode */
  server?: string;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/**
 * What every command receives: the global options, the configuration, output helpers. The heavy
 * modules (zod, kysely, the engine) are imported on first use, so `--help` and `validate` start fast.
 */
export class CliContext {
  /** the process exit code, set by the command that ran */
  exitCode = 0;
  private cachedConfig: Readonly<Config> | undefined;
  private cachedTarget: Promise<RemoteTarget | null> | undefined;

  constructor(
    private readonly program: Command,
    readonly io: CliIO,
  ) {}

  get globals(): GlobalOptions {
    const o = this.program.opts<Partial<GlobalOptions>>();
    return {
      json: o.json === true,
      quiet: o.quiet === true,
      ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }),
      ...(o.databaseUrl === undefined ? {} : { databaseUrl: o.databaseUrl }),
      ...(o.server === undefined ? {} : { server: o.server }),
    };
  }

  get isTTY(): boolean {
    return this.io.stdout.isTTY === true;
  }

  /** The configuration: environment (and BATON_CONFIG file), overridden by `--data-dir` / `--database-url`. */
  async config(): Promise<Readonly<Config>> {
    if (!this.cachedConfig) {
      const { loadConfig } = await import('../config/loadConfig.ts');
      const g = this.globals;
      const env = { ...this.io.env };
      if (g.dataDir !== undefined) env.BATON_DATA_DIR = g.dataDir;
      if (g.databaseUrl !== undefined) env.DATABASE_URL = g.databaseUrl;
      this.cachedConfig = loadConfig(env, this.io.cwd);
    }
    return this.cachedConfig;
  }

  /**
   * Logs on stderr. Client commands log warnings only unless BATON_LOG_LEVEL says otherwise (their
   * output is for people); `serve` logs at the configured level.
   */
  async logger(kind: 'client' | 'server' = 'client'): Promise<Logger> {
    const config = await this.config();
    const { createLogger } = await import('../main/createLogger.ts');
    if (kind === 'server') return createLogger(config.logLevel);
    if (this.io.env.BATON_LOG_LEVEL) return createLogger(config.logLevel);
    return createLogger(this.globals.quiet ? 'error' : 'warn');
  }

  /** Who is acting: `$USER`, else the OS account. */
  actor(): string {
    const env = this.io.env.USER ?? this.io.env.USERNAME ?? this.io.env.LOGNAME;
    if (env) return env;
    try {
      return userInfo().username || 'cli';
    } catch {
      return 'cli';
    }
  }

  /**
   * The server of remote mode (`--server`, else BATON_SERVER), or null: the commands then open the
   * database directly. Both at once is refused rather than guessed.
   */
  remoteTarget(): Promise<RemoteTarget | null> {
    return (this.cachedTarget ??= (async () => {
      const g = this.globals;
      const server = g.server ?? this.io.env.BATON_SERVER;
      if (
        server !== undefined &&
        server.trim() !== '' &&
        (g.dataDir !== undefined || g.databaseUrl !== undefined)
      ) {
        const from = g.server === undefined ? `BATON_SERVER=${server}` : '--server';
        throw new BatonError(
          'invalid_input',
          `${from} talks to a Baton server, --data-dir / --database-url open a database: give one or the other`,
          {
            field: 'server',
            hint: g.server === undefined ? 'unset BATON_SERVER to use the database' : undefined,
          },
        );
      }
      const { resolveRemoteTarget } = await import('./remote/remoteTarget.ts');
      return resolveRemoteTarget(g.server, this.io.env, this.io.cwd);
    })());
  }

  /** Runs `fn` with the server's API in remote mode, else with the database (opened without a runner, closed after). */
  async withBackend<T>(fn: (b: Backend) => Promise<T>): Promise<T> {
    const target = await this.remoteTarget();
    if (target) {
      const { withHttpBackend } = await import('./remote/withHttpBackend.ts');
      return withHttpBackend(this, target, fn);
    }
    const { heartbeatMs } = await this.config();
    const { DirectBackend } = await import('./backend/DirectBackend.ts');
    return this.withBaton((app) => fn(new DirectBackend(app, { heartbeatMs })));
  }

  /** Opens the store without a runner, runs `fn`, closes. */
  async withBaton<T>(fn: (app: BatonApp) => Promise<T>): Promise<T> {
    const { openBaton } = await import('../main/openBaton.ts');
    const app = await openBaton(await this.config(), {
      logger: await this.logger(),
      runner: false,
      cwd: this.io.cwd,
    });
    try {
      return await fn(app);
    } finally {
      await app.close(0);
    }
  }

  /** A line of command output on stdout. */
  print(line = ''): void {
    this.io.stdout.write(`${line}\n`);
  }

  /** Progress and confirmations: stdout, silenced by `--quiet`. */
  info(line: string): void {
    if (!this.globals.quiet) this.io.stdout.write(`${line}\n`);
  }

  /** Notes and warnings on stderr, silenced by `--quiet`. */
  note(line: string): void {
    if (!this.globals.quiet) this.io.stderr.write(`${line}\n`);
  }

  /** One JSON document on stdout. */
  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}
