import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { registerRunsLsCommand } from './runsLs.ts';
import { registerRunsShowCommand } from './runsShow.ts';

export function registerRunsCommand(program: Command, ctx: CliContext): void {
  const runs = program.command('runs').description('list and inspect runs');
  registerRunsLsCommand(runs, ctx);
  registerRunsShowCommand(runs, ctx);
}
