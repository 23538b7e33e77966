import type { AgentLaunch } from '../../run/AgentRuntime.ts';

/** The env variable the custom provider reads its key from. */
export const CODEX_KEY_ENV = 'BATON_CODEX_API_KEY';

/** A model name Codex knows (an unknown one drops the apply_patch tool). */
export const CODEX_DEFAULT_MODEL = 'gpt-5.5';

const toml = (s: string): string => JSON.stringify(s);

/**
 * `$CODEX_HOME/config.toml`: the model, sandbox, no update checks, analytics and plugins off (else it
 * reaches outside hosts), and with a base URL a custom Responses provider whose retries default to 0.
 */
export function codexConfigToml(l: AgentLaunch): string {
  const provider = l.endpoint.provider ?? 'baton';
  const lines = [
    `model = ${toml(l.model ?? CODEX_DEFAULT_MODEL)}`,
    'sandbox_mode = "workspace-write"',
    'check_for_update_on_startup = false',
  ];
  if (l.endpoint.baseUrl !== undefined) lines.push(`model_provider = ${toml(provider)}`);
  lines.push('[analytics]', 'enabled = false', '[features]', 'plugins = false', 'remote_plugin = false');
  lines.push('apps = false');
  if (l.endpoint.baseUrl !== undefined) {
    const retries = String(l.maxRetries ?? 0);
    lines.push(
      `[model_providers.${toml(provider)}]`,
      `name = ${toml(provider)}`,
      `base_url = ${toml(`${l.endpoint.baseUrl.replace(/\/+$/, '')}/v1`)}`,
      `env_key = ${toml(CODEX_KEY_ENV)}`,
      'wire_api = "responses"',
      `request_max_retries = ${retries}`,
      `stream_max_retries = ${retries}`,
    );
    const headers = Object.entries(l.endpoint.extraHeaders ?? {});
    if (headers.length > 0) {
      lines.push(`http_headers = { ${headers.map(([k, v]) => `${toml(k)} = ${toml(v)}`).join(', ')} }`);
    }
  }
  return `${lines.join('\n')}\n`;
}
