import { CommanderError } from 'commander';
import { BatonError } from '../domain/errors.ts';
import type { CliContext } from './context.ts';
import { EXIT, exitCodeForError } from './exitCodes.ts';
import { RemoteError } from './remote/remoteError.ts';

/**
 * Reports an error that ended a command and returns the exit code. Expected errors (BatonError,
 * usage errors) print `error: …` and `hint: …` without a stack trace; `--json` prints `{"error": …}`
 * on stdout instead. Only an unexpected error (a bug) shows its stack.
 */
export function handleError(e: unknown, ctx: CliContext): number {
  if (e instanceof CommanderError) {
    // commander has already printed the message (or the help / the version)
    if (
      e.code === 'commander.helpDisplayed' ||
      e.code === 'commander.version' ||
      e.code === 'commander.help'
    ) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return EXIT.usage;
  }
  const json = safeJsonFlag(ctx);
  if (e instanceof BatonError) {
    if (json) ctx.json({ error: e.toJSON() });
    else {
      ctx.io.stderr.write(`error: ${e.message}\n`);
      if (e.hint) ctx.io.stderr.write(`hint: ${e.hint}\n`);
    }
    return exitCodeForError(e.code);
  }
  if (e instanceof RemoteError) {
    if (json) ctx.json({ error: e.toJSON() });
    else {
      ctx.io.stderr.write(`error: ${e.message}\n`);
      if (e.hint) ctx.io.stderr.write(`hint: ${e.hint}\n`);
    }
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (json) ctx.json({ error: { code: 'internal', message } });
  else {
    ctx.io.stderr.write(`error: internal error: ${message}\n`);
    if (e instanceof Error && e.stack) ctx.io.stderr.write(`${e.stack}\n`);
  }
  return EXIT.software;
}

function safeJsonFlag(ctx: CliContext): boolean {
  try {
    return ctx.globals.json;
  } catch {
    return false;
  }
}
