import type { Command } from 'commander';
import { BatonError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';
import { credentialsPath, removeServerToken, saveServerToken } from '../remote/credentials.ts';
import { normalizeServerUrl } from '../remote/serverUrl.ts';

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text.trim();
}

/** `baton login` / `baton logout`: keep a server's token in the credentials file (0600). */
export function registerLoginCommand(program: Command, ctx: CliContext): void {
  program
    .command('login')
    .description('check a token against a server and store it in the credentials file')
    .option('--token-stdin', 'read the token from stdin (else BATON_TOKEN)')
    .option('--default', 'make this server the default_server of the file')
    .action(async (o: { tokenStdin?: boolean; default?: boolean }) => {
      const raw = ctx.globals.server ?? ctx.io.env.BATON_SERVER;
      if (!raw) {
        throw new BatonError('invalid_input', 'which server? give --server <url> or set BATON_SERVER', {
          field: 'server',
        });
      }
      const server = normalizeServerUrl(raw);
      const token = o.tokenStdin
        ? await readStdin(ctx.io.stdin ?? process.stdin)
        : ctx.io.env.BATON_TOKEN?.trim();
      if (!token) {
        throw new BatonError('invalid_input', 'no token: pipe it with --token-stdin or set BATON_TOKEN', {
          field: 'token',
          hint: 'create one with `baton token create --name laptop` (on the server) or in the web UI',
        });
      }
      const { HttpClient } = await import('../remote/httpClient.ts');
      const { VERSION } = await import('../version.ts');
      const http = new HttpClient({
        server,
        token,
        userAgent: `baton-cli/${VERSION}`,
        signal: new AbortController().signal,
      });
      const me = (
        await http.json<{ user: { login: string }; workspaces: Array<{ workspace: string; role: string }> }>(
          'GET',
          '/me',
        )
      ).body;
      const path = credentialsPath(ctx.io.env, ctx.io.cwd);
      await saveServerToken(path, server, token, {
        extra: { user: me.user.login },
        makeDefault: o.default === true,
      });
      if (ctx.globals.json)
        return ctx.json({ server, user: me.user.login, workspaces: me.workspaces, file: path });
      const roles = me.workspaces.map((w) => `${w.workspace}: ${w.role}`).join(', ');
      ctx.info(
        `logged in to ${server} as ${me.user.login}${roles ? ` (${roles})` : ''}; token stored in ${path}`,
      );
    });

  program
    .command('logout')
    .description(
      "forget a server's token (the token itself stays valid: revoke it with `baton token revoke`)",
    )
    .action(async () => {
      const raw = ctx.globals.server ?? ctx.io.env.BATON_SERVER;
      if (!raw)
        throw new BatonError('invalid_input', 'which server? give --server <url> or set BATON_SERVER', {
          field: 'server',
        });
      const path = credentialsPath(ctx.io.env, ctx.io.cwd);
      const removed = await removeServerToken(path, normalizeServerUrl(raw));
      ctx.info(
        removed
          ? `forgot the token of ${normalizeServerUrl(raw)}`
          : `no token stored for ${normalizeServerUrl(raw)}`,
      );
    });
}
