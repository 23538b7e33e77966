import { InvalidArgumentError, type Command } from 'commander';
import { PROVIDERS } from '../../domain/agents/providerOf.ts';
import { RUNTIMES } from '../../domain/agents/roleSchema.ts';
import { didYouMean } from '../../domain/didYouMean.ts';
import { BatonError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';

const KEY_HELP = `a workflow concurrency key ("<workflow>:<key>"), or an agent pool: runtime:<${RUNTIMES.join('|')}> or provider:<${PROVIDERS.join('|')}>`;

/**
 * `baton queue limits` and `baton queue limit <key> <n|none>`: the per-key rows of
 * `concurrency_limits`. Besides workflow concurrency keys they hold the limits of agent pools
 * (`runtime:claude-code`, `provider:anthropic`), which override the configuration's
 * `agents.concurrency` while they exist.
 */
export function registerQueueLimitCommands(queue: Command, ctx: CliContext): void {
  queue
    .command('limits')
    .description('per-key concurrency limits (workflow keys and runtime:/provider: agent pools)')
    .action(async () => {
      const limits = await ctx.withBackend((b) => b.listKeyLimits());
      if (ctx.globals.json) {
        ctx.json({ limits });
        return;
      }
      if (limits.length === 0) ctx.print('no per-key limits');
      const width = Math.max(0, ...limits.map((l) => l.key.length));
      for (const l of limits) ctx.print(`${l.key.padEnd(width)}  ${l.limit}`);
    });

  queue
    .command('limit')
    .description('set (or clear with "none") the concurrency limit of one key')
    .argument('<key>', KEY_HELP)
    .argument('<limit>', 'a positive integer, or "none" to remove the override', parseLimit)
    .action(async (key: string, limit: number | 'none') => {
      checkPoolKey(key);
      const value = limit === 'none' ? null : limit;
      await ctx.withBackend((b) => b.setKeyLimit(key, value, ctx.actor()));
      if (ctx.globals.json) ctx.json({ key, limit: value });
      else ctx.info(value === null ? `limit of ${key} removed` : `limit of ${key} set to ${value}`);
    });
}

function parseLimit(value: string): number | 'none' {
  const v = value.trim().toLowerCase();
  if (['none', 'unlimited', 'null', 'off'].includes(v)) return 'none';
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new InvalidArgumentError(`"${value}" must be a positive integer or "none".`);
  return Number(v);
}

/** A `runtime:` / `provider:` key must name a known runtime or provider: a typo would limit nothing. */
function checkPoolKey(key: string): void {
  const m = /^(runtime|provider):(.*)$/.exec(key);
  if (!m) return;
  const known: readonly string[] = m[1] === 'runtime' ? RUNTIMES : PROVIDERS;
  const name = m[2] ?? '';
  if (known.includes(name)) return;
  const guess = didYouMean(name, known);
  throw new BatonError('invalid_input', `unknown ${m[1]} "${name}" in key "${key}"`, {
    field: 'key',
    hint: guess ? `did you mean ${m[1]}:${guess}?` : `one of: ${known.map((k) => `${m[1]}:${k}`).join(', ')}`,
  });
}
