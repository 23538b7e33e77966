import type { Command } from 'commander';
import { BatonError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exitCodes.ts';

interface ModelServerOpts {
  scenarios: string;
  port: string;
  apiKey: string;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new BatonError('invalid_input', `--port ${text} is not a port number`, {
      field: 'port',
      hint: 'give 0 (any free port) or a number from 1 to 65535',
    });
  return port;
}

/** How to point each CLI at the server (printed at start). */
async function clientInstructions(url: string, apiKey: string): Promise<string[]> {
  const { codexConfigToml, GEMINI_SETTINGS } = await import('../../agents/modelServer/agentClientSetup.ts');
  const quiet =
    'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_AUTOUPDATER=1 DISABLE_ERROR_REPORTING=1';
  return [
    `model server on ${url} (127.0.0.1 only)`,
    '',
    'Claude Code (Anthropic Messages API):',
    `  ANTHROPIC_BASE_URL=${url} ANTHROPIC_API_KEY=${apiKey} ${quiet} \\`,
    `    claude -p "[scenario:NAME] …" --output-format stream-json --verbose --permission-mode acceptEdits`,
    '',
    'Codex (OpenAI Responses API): put this in $CODEX_HOME/config.toml, then',
    `  CODEX_HOME=… CUSTOM_OPENAI_KEY=${apiKey} codex exec --json "[scenario:NAME] …"`,
    ...codexConfigToml(url)
      .trimEnd()
      .split('\n')
      .map((l) => `    ${l}`),
    '',
    'Gemini CLI: $HOME/.gemini/settings.json =',
    `    ${JSON.stringify(GEMINI_SETTINGS)}`,
    `  GOOGLE_GEMINI_BASE_URL=${url} GEMINI_API_KEY=${apiKey} GEMINI_CLI_TRUST_WORKSPACE=true \\`,
    `    gemini -p "[scenario:NAME] …" -m gemini-2.5-flash --output-format stream-json --yolo`,
    '',
    'OpenAI SDK (Chat Completions or Responses):',
    `  OPENAI_BASE_URL=${url}/v1 OPENAI_API_KEY=${apiKey}`,
    '',
    'Ctrl-C to stop.',
  ];
}

/** `baton dev model-server`: the scripted model server the real agent CLIs can run against offline. */
export function registerDevCommand(program: Command, ctx: CliContext): void {
  const dev = program.command('dev').description('tools for developing Baton and its agent integrations');
  dev
    .command('model-server')
    .description(
      'serve scripted model answers (Anthropic, OpenAI Responses/Chat, Gemini) on 127.0.0.1 until Ctrl-C',
    )
    .requiredOption(
      '--scenarios <path>',
      'a scenario YAML file or a directory of them (see examples/scenarios/)',
    )
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', '0')
    .option('--api-key <key>', 'the API key clients must send', 'sk-baton-dev')
    .action(async (opts: ModelServerOpts) => {
      const port = parsePort(opts.port);
      const stop = new AbortController();
      const { loadScenarios } = await import('../../agents/modelServer/loadScenarios.ts');
      const { createModelServer } = await import('../../agents/modelServer/createModelServer.ts');
      const scenarios = await loadScenarios(opts.scenarios, stop.signal);
      const server = await createModelServer({
        scenarios,
        apiKey: opts.apiKey,
        port,
        signal: stop.signal,
        onRequest: (r) =>
          ctx.note(
            `${r.method} ${r.path} → ${r.status} ${r.outcome}${r.scenario === undefined ? '' : ` scenario=${r.scenario} turn=${r.turn}`}${r.warnings.map((w) => ` (${w})`).join('')}`,
          ),
      });
      if (ctx.globals.json)
        ctx.json({
          url: server.url,
          port: server.port,
          apiKey: opts.apiKey,
          scenarios: scenarios.map((s) => s.name),
        });
      else {
        for (const line of await clientInstructions(server.url, opts.apiKey)) ctx.print(line);
        ctx.print(`scenarios: ${scenarios.map((s) => s.name).join(', ')}`);
      }
      const onSignal = (sig: NodeJS.Signals) => {
        ctx.note(`${sig}: stopping the model server`);
        stop.abort(sig);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await new Promise<void>((resolve) =>
          stop.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        await server.close();
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      ctx.exitCode = EXIT.ok;
    });
}
