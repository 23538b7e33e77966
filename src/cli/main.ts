import { Command } from 'commander';
import { registerAdvanceCommand } from './commands/advance.ts';
import { registerApproveCommand } from './commands/approve.ts';
import { registerCancelCommand } from './commands/cancel.ts';
import { registerDevCommand } from './commands/devModelServer.ts';
import { registerLoginCommand } from './commands/login.ts';
import { registerLogsCommand } from './commands/logs.ts';
import { registerTokenCommand } from './commands/token.ts';
import { registerPauseCommand } from './commands/pause.ts';
import { registerQueueCommand } from './commands/queue.ts';
import { registerRejectCommand } from './commands/reject.ts';
import { registerResumeCommand } from './commands/resume.ts';
import { registerRetryCommand } from './commands/retry.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerRunsCommand } from './commands/runs.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerValidateCommand } from './commands/validate.ts';
import { registerWorkflowsCommand } from './commands/workflows.ts';
import { CliContext, processIO, type CliIO } from './context.ts';
import { handleError } from './handleError.ts';
import { VERSION } from './version.ts';

/** Builds the `baton` command tree; each command's action sets `ctx.exitCode`. */
export function buildProgram(io: CliIO): { program: Command; ctx: CliContext } {
  const program = new Command('baton');
  const ctx = new CliContext(program, io);
  program
    .description('Baton: durable workflows for AI coding agents and shell steps')
    .version(VERSION, '-V, --version')
    .option('--json', 'machine-readable output (JSON on stdout, errors as {"error": …})')
    .option('--data-dir <dir>', 'data directory (overrides BATON_DATA_DIR)')
    .option('--database-url <url>', 'database (overrides DATABASE_URL): postgres://… or sqlite:<file>')
    .option(
      '--server <url>',
      'talk to a Baton server over HTTP (overrides BATON_SERVER); the token comes from BATON_TOKEN or the credentials file',
    )
    .option('-q, --quiet', 'print only what scripts need')
    .showHelpAfterError('(run `baton --help` for usage)')
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .exitOverride();

  registerServeCommand(program, ctx);
  registerRunCommand(program, ctx);
  registerValidateCommand(program, ctx);
  registerRunsCommand(program, ctx);
  registerWorkflowsCommand(program, ctx);
  registerLogsCommand(program, ctx);
  registerApproveCommand(program, ctx);
  registerRejectCommand(program, ctx);
  registerCancelCommand(program, ctx);
  registerPauseCommand(program, ctx);
  registerResumeCommand(program, ctx);
  registerRetryCommand(program, ctx);
  registerAdvanceCommand(program, ctx);
  registerQueueCommand(program, ctx);
  registerTokenCommand(program, ctx);
  registerLoginCommand(program, ctx);
  registerDevCommand(program, ctx);
  return { program, ctx };
}

/** `baton …`: runs one command and returns the process exit code (see exitCodes.ts). */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const { program, ctx } = buildProgram(io);
  // `baton runs ls | head`: the reader went away; stop quietly as other Unix tools do
  const onStdoutError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(ctx.exitCode);
    throw e;
  };
  if (io.stdout === process.stdout) process.stdout.on('error', onStdoutError);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    return handleError(e, ctx);
  }
}
