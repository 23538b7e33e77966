import pino from 'pino';
import type { Config } from '../config/configSchema.ts';
import type { Logger } from '../engine/engineDeps.ts';

/** Structured JSON logs on stderr (stdout stays for command output). */
export function createLogger(level: Config['logLevel']): Logger & { child(b: object): Logger } {
  return pino({ level, base: { pid: process.pid } }, pino.destination(2));
}
