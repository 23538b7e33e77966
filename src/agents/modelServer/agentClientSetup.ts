import { join } from 'node:path';

export type AgentCli = 'claude' | 'codex' | 'gemini';

/** What an agent CLI needs to talk to the model server offline, with its state in `home`. */
export interface ClientSetup {
  /** environment for the child (add PATH and the like yourself; nothing else is needed) */
  env: Record<string, string>;
  /** files to write before starting it */
  files: { path: string; content: string }[];
}

export interface ClientSetupOptions {
  /** the model server's URL, `http://127.0.0.1:PORT` */
  baseUrl: string;
  apiKey: string;
  /** an isolated home directory (HOME, and the CLIs' config dirs below it) */
  home: string;
  /** Codex: a model name Codex knows (an unknown one drops the apply_patch tool) */
  codexModel?: string;
}

/** `$CODEX_HOME/config.toml` for a custom Responses endpoint with all outside traffic off (AGENT-PROTOCOLS.md). */
export function codexConfigToml(baseUrl: string, model = 'gpt-5.5'): string {
  return [
    `model = ${JSON.stringify(model)}`,
    'model_provider = "custom"',
    'check_for_update_on_startup = false',
    '[analytics]',
    'enabled = false',
    '[features]',
    'plugins = false',
    'remote_plugin = false',
    'apps = false',
    '[model_providers.custom]',
    'name = "Custom"',
    `base_url = ${JSON.stringify(`${baseUrl}/v1`)}`,
    'env_key = "CUSTOM_OPENAI_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n');
}

export const GEMINI_SETTINGS = {
  security: { auth: { selectedType: 'gemini-api-key' } },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
};

/** The env and config files each CLI needs (verified against claude-code 2.1, codex 0.169, gemini-cli 0.61). */
export function agentClientSetup(cli: AgentCli, o: ClientSetupOptions): ClientSetup {
  switch (cli) {
    case 'claude':
      return {
        env: {
          HOME: o.home,
          CLAUDE_CONFIG_DIR: join(o.home, '.claude'),
          ANTHROPIC_BASE_URL: o.baseUrl,
          ANTHROPIC_API_KEY: o.apiKey,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          DISABLE_TELEMETRY: '1',
          DISABLE_AUTOUPDATER: '1',
          DISABLE_ERROR_REPORTING: '1',
        },
        files: [],
      };
    case 'codex': {
      const codexHome = join(o.home, '.codex');
      return {
        env: { HOME: o.home, CODEX_HOME: codexHome, CUSTOM_OPENAI_KEY: o.apiKey },
        files: [{ path: join(codexHome, 'config.toml'), content: codexConfigToml(o.baseUrl, o.codexModel) }],
      };
    }
    case 'gemini':
      return {
        env: {
          HOME: o.home,
          GEMINI_API_KEY: o.apiKey,
          GOOGLE_GEMINI_BASE_URL: o.baseUrl,
          GEMINI_CLI_TRUST_WORKSPACE: 'true',
        },
        files: [
          {
            path: join(o.home, '.gemini', 'settings.json'),
            content: `${JSON.stringify(GEMINI_SETTINGS, null, 2)}\n`,
          },
        ],
      };
  }
}
