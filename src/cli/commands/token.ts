import { InvalidArgumentError, type Command } from 'commander';
import { isRole, ROLES, type Role } from '../../domain/access/roles.ts';
import type { CliContext } from '../context.ts';
import { parsePositiveInteger } from '../options.ts';
import type { TokenView } from '../tokens/tokenOps.ts';
import { withTokenOps } from '../tokens/withTokenOps.ts';

function parseRole(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`"${value}" is not a role (${ROLES.join(', ')}).`);
  return value;
}

function line(t: TokenView): string {
  const state = t.revoked_at
    ? 'revoked'
    : t.expires_at && Date.parse(t.expires_at) <= Date.now()
      ? 'expired'
      : `expires ${t.expires_at ?? 'never'}`;
  const scope = [t.workspace ? `workspace ${t.workspace}` : null, t.role ? `role ≤ ${t.role}` : null]
    .filter(Boolean)
    .join(', ');
  return `${t.id}  ${t.prefix}…  ${t.name}  (${t.kind}; ${state}; last used ${t.last_used_at ?? 'never'}${scope ? `; ${scope}` : ''})`;
}

/** `baton token create|list|revoke`: against `--server`, or the database on the server's machine. */
export function registerTokenCommand(program: Command, ctx: CliContext): void {
  const token = program
    .command('token')
    .description('API tokens: create (the secret is shown once), list, revoke');

  token
    .command('create')
    .description('create a token and print its secret (shown once: store it now)')
    .requiredOption('--name <name>', 'what the token is for (e.g. "ci")')
    .option('--expires-in-days <n>', 'days until it expires (default 90)', parsePositiveInteger)
    .option('--no-expiry', 'never expires')
    .option('--workspace <id>', 'restrict the token to one workspace')
    .option('--role <role>', `cap its role (${ROLES.join(', ')})`, parseRole)
    .option('--user <login>', 'for another user (instance administrators; without --server: default admin)')
    .action(
      async (o: {
        name: string;
        expiresInDays?: number;
        expiry: boolean;
        workspace?: string;
        role?: Role;
        user?: string;
      }) => {
        const created = await withTokenOps(ctx, (ops) =>
          ops.create({
            name: o.name,
            expiresInDays: o.expiry ? (o.expiresInDays ?? 90) : null,
            ...(o.workspace === undefined ? {} : { workspace: o.workspace }),
            ...(o.role === undefined ? {} : { role: o.role }),
            ...(o.user === undefined ? {} : { user: o.user }),
          }),
        );
        if (ctx.globals.json) return ctx.json(created);
        ctx.print(created.secret);
        ctx.note(`token ${created.id} "${created.name}" created (expires ${created.expires_at ?? 'never'})`);
        ctx.note('this secret is not shown again: store it now (e.g. BATON_TOKEN, or `baton login`)');
      },
    );

  token
    .command('list')
    .description('your tokens (never their secrets); --all or --user for instance administrators')
    .option('--all', "everyone's tokens")
    .option('--user <login>', "another user's tokens")
    .action(async (o: { all?: boolean; user?: string }) => {
      const items = await withTokenOps(ctx, (ops) =>
        ops.list({ all: o.all === true, ...(o.user === undefined ? {} : { user: o.user }) }),
      );
      if (ctx.globals.json) return ctx.json(items);
      if (items.length === 0) return ctx.note('no tokens');
      for (const t of items) ctx.print(line(t));
    });

  token
    .command('revoke')
    .description('revoke a token (it stops working at once on this server, within 5 s on others)')
    .argument('<id>', 'the token id (from `baton token list`)')
    .action(async (id: string) => {
      const t = await withTokenOps(ctx, (ops) => ops.revoke(id));
      if (ctx.globals.json) return ctx.json(t);
      ctx.info(`token ${t.id} "${t.name}" revoked`);
    });
}
