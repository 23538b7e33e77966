import type { Command } from 'commander';
import { BatonError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exitCodes.ts';

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the engine with a local runner and the health endpoints until Ctrl-C')
    .option('--examples', 'also load the workflows in examples/')
    .action(async (opts: { examples?: boolean }) => {
      // BATON_SERVER (for the client commands) does not apply to the server itself
      if (ctx.globals.server !== undefined)
        throw new BatonError('invalid_input', '`baton serve` runs a server; --server does not apply to it', {
          field: 'server',
          hint: 'give the other commands --server (or BATON_SERVER) to talk to this one',
        });
      const config = await ctx.config();
      const logger = await ctx.logger('server');
      const { serve } = await import('../../main/serve.ts');
      // First SIGINT/SIGTERM: graceful stop (running steps get time to finish). Second: exit at once.
      const stop = new AbortController();
      const onSignal = (sig: NodeJS.Signals) => {
        if (stop.signal.aborted) {
          ctx.io.stderr.write(`${sig} again: exiting now\n`);
          process.exit(EXIT.interrupted);
        }
        ctx.io.stderr.write(`${sig}: stopping (draining running steps; ${sig} again to exit at once)\n`);
        stop.abort(sig);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await serve(config, {
          examples: opts.examples === true,
          logger,
          signal: stop.signal,
          cwd: ctx.io.cwd,
          print: (line) => ctx.print(line),
          warn: (line) => ctx.io.stderr.write(`${line}\n`),
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      ctx.exitCode = EXIT.ok;
    });
}
