import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { parseInteger } from '../options.ts';
import { collectInput, parseInputs } from '../parseInputs.ts';
import { runLocal } from '../run/runLocal.ts';
import { startAndFollow } from '../run/startAndFollow.ts';

interface RunOptions {
  input: string[];
  inputsFile?: string;
  idempotencyKey?: string;
  priority?: number;
  dryRun?: boolean;
  follow?: boolean;
}

export function registerRunCommand(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('start a run of a workflow; runs it in this process when no `baton serve` is alive')
    .argument(
      '<workflow>',
      'a registered workflow name, or the path to a workflow file (validated and registered first)',
    )
    .option('-i, --input <name=value>', 'an input value (repeatable)', collectInput, [])
    .option('--inputs-file <file>', 'inputs from a JSON or YAML file (--input values override it)')
    .option(
      '--idempotency-key <key>',
      'the same key returns the run it created before instead of starting another',
    )
    .option('--priority <n>', 'higher runs first (default: the workflow’s priority)', parseInteger)
    .option('--dry-run', 'plan and report what each step would run, without running it')
    .option('-f, --follow', 'show progress until the run ends (default on a terminal)')
    .option('--no-follow', 'only enqueue the run and print its id')
    .action(async (workflow: string, opts: RunOptions) => {
      ctx.exitCode = await runCommand(ctx, workflow, opts);
    });
}

async function runCommand(ctx: CliContext, workflow: string, opts: RunOptions): Promise<number> {
  const cwd = ctx.io.cwd;
  const req = {
    workflow,
    cwd,
    inputs: await parseInputs(opts.input, opts.inputsFile, cwd),
    idempotencyKey: opts.idempotencyKey,
    priority: opts.priority,
    dryRun: opts.dryRun === true,
    by: ctx.actor(),
  };
  if (!(await ctx.remoteTarget())) return runLocal(ctx, req, opts.follow);
  // remote: the server's runners execute the run; a workflow file is stored on the server first
  return ctx.withBackend((b) =>
    startAndFollow(ctx, b, { ...req, workflowDirs: [] }, opts.follow, { inProcess: false }),
  );
}
