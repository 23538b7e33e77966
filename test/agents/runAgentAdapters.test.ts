import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUNTIME_API_VERSION, type AgentLaunch } from '../../src/agents/run/AgentRuntime.ts';
import { childEnv, launchSecrets } from '../../src/agents/run/prepareLaunch.ts';
import { claudeCodeInvocation } from '../../src/agents/runtimes/claude-code/claudeCodeRuntime.ts';
import { createClaudeLiveProgress } from '../../src/agents/runtimes/claude-code/claudeLiveProgress.ts';
import { codexInvocation } from '../../src/agents/runtimes/codex/codexRuntime.ts';
import { geminiCliInvocation } from '../../src/agents/runtimes/gemini-cli/geminiCliRuntime.ts';
import {
  binaryEnvVar,
  CLI_RUNTIMES,
  isCliRuntime,
  resolveBinary,
} from '../../src/agents/runtimes/runtimeRegistry.ts';
import { RUNTIMES } from '../../src/domain/agents/roleSchema.ts';

const base: AgentLaunch = {
  prompt: 'fix it',
  cwd: '/w',
  endpoint: { baseUrl: 'http://127.0.0.1:9', apiKey: 'sk-key-123456' },
  grantedEnv: { GH_TOKEN: 'ghs-granted' },
  homeDir: '/h',
};

describe('adapters', () => {
  it('declare version 1 and a runtime id of the role schema', () => {
    for (const [id, rt] of Object.entries(CLI_RUNTIMES)) {
      expect(rt).toMatchObject({ apiVersion: RUNTIME_API_VERSION, id });
      expect(RUNTIMES).toContain(id);
      expect(isCliRuntime(id)).toBe(true);
    }
    expect(isCliRuntime('jules')).toBe(false);
  });

  it('claude-code: flags, session, env', () => {
    const inv = claudeCodeInvocation({
      ...base,
      model: 'opus',
      maxTurns: 7,
      maxBudgetUsd: 1.5,
      allowedTools: ['Read', 'Edit'],
      disallowedTools: ['WebFetch'],
      appendSystemPrompt: 'be brief',
      sessionId: 'u-1',
      maxRetries: 0,
      endpoint: { ...base.endpoint, extraHeaders: { 'x-run': 'r1' } },
    });
    expect(inv.args).toEqual([
      '-p', 'fix it', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits',
      '--model', 'opus', '--max-turns', '7', '--max-budget-usd', '1.5', '--session-id', 'u-1',
      '--allowedTools', 'Read', 'Edit', '--disallowedTools', 'WebFetch', '--append-system-prompt', 'be brief',
    ]); // prettier-ignore
    expect(inv.env).toMatchObject({
      HOME: '/h',
      CLAUDE_CONFIG_DIR: '/h/.claude',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      ANTHROPIC_API_KEY: 'sk-key-123456',
      ANTHROPIC_CUSTOM_HEADERS: 'x-run: r1',
      CLAUDE_CODE_MAX_RETRIES: '0',
      DISABLE_TELEMETRY: '1',
    });
    expect(inv.stdin).toBe('ignore');
    expect(claudeCodeInvocation({ ...base, resumeSessionId: 's-9', sessionId: 'x' }).args).toContain(
      '--resume',
    );
  });

  it('codex: exec / exec resume, config.toml with the provider and retries 0', () => {
    const inv = codexInvocation({ ...base, endpoint: { ...base.endpoint, provider: 'proxy' } });
    expect(inv.args).toEqual(['exec', '--json', '-s', 'workspace-write', 'fix it']);
    expect(inv.env).toEqual({ HOME: '/h', CODEX_HOME: '/h/.codex', BATON_CODEX_API_KEY: 'sk-key-123456' });
    const [file] = inv.files;
    expect(file?.path).toBe('/h/.codex/config.toml');
    expect(file?.content).toContain('model_provider = "proxy"\n');
    expect(file?.content).toContain('[model_providers."proxy"]\n');
    expect(file?.content).toContain('base_url = "http://127.0.0.1:9/v1"\n');
    expect(file?.content).toContain('request_max_retries = 0\nstream_max_retries = 0\n');
    expect(file?.content).toContain('[analytics]\nenabled = false\n');
    expect(codexInvocation({ ...base, resumeSessionId: 't-1', appendSystemPrompt: 'A' }).args).toEqual([
      'exec', '--json', 'resume', 't-1', 'A\n\nfix it',
    ]); // prettier-ignore
  });

  it('gemini-cli: -m, yolo, trusted workspace, settings.json', () => {
    const inv = geminiCliInvocation(base);
    expect(inv.args).toEqual([
      '-p', 'fix it', '-m', 'gemini-2.5-flash', '--output-format', 'stream-json', '--yolo',
    ]); // prettier-ignore
    expect(inv.env).toEqual({
      HOME: '/h',
      GEMINI_CLI_TRUST_WORKSPACE: 'true',
      GEMINI_API_KEY: 'sk-key-123456',
      GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(JSON.parse(inv.files[0]?.content ?? '')).toMatchObject({
      security: { auth: { selectedType: 'gemini-api-key' } },
    });
  });

  it('the child env is PATH, a private TMPDIR, the granted secrets and the adapter env only', () => {
    const env = childEnv(base, claudeCodeInvocation(base), {
      PATH: '/bin',
      SERVER_SECRET: 'x',
      HOME: '/root',
    });
    expect(Object.keys(env)).not.toContain('SERVER_SECRET');
    expect(env).toMatchObject({ PATH: '/bin', TMPDIR: '/h/tmp', HOME: '/h', GH_TOKEN: 'ghs-granted' });
    expect(launchSecrets(base)).toEqual(['ghs-granted', 'sk-key-123456']);
  });

  it('claude live progress sums usage per API message', () => {
    const p = createClaudeLiveProgress();
    const line = (id: string, input: number) => ({
      type: 'assistant',
      message: { id, usage: { input_tokens: input, output_tokens: 1 } },
    });
    p.push(line('m1', 100));
    p.push(line('m1', 100)); // a second content block of the same message
    p.push(line('m2', 300));
    expect(p.tokens).toMatchObject({ input: 400, output: 2 });
    expect(p.turns).toBe(2);
  });
});

describe('resolveBinary', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'baton-resolve-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const exe = (path: string) => {
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
    return path;
  };

  it('prefers BATON_<RUNTIME>_BIN, then node_modules/.bin of the roots, then PATH', () => {
    const rt = CLI_RUNTIMES['gemini-cli'];
    expect(binaryEnvVar('claude-code')).toBe('BATON_CLAUDE_CODE_BIN');
    mkdirSync(join(dir, 'root', 'node_modules', '.bin'), { recursive: true });
    mkdirSync(join(dir, 'path'));
    const onPath = exe(join(dir, 'path', 'gemini'));
    const roots = [join(dir, 'root')];
    expect(resolveBinary(rt, { env: { PATH: join(dir, 'path') }, roots })).toEqual({
      ok: true,
      path: onPath,
    });
    const local = exe(join(dir, 'root', 'node_modules', '.bin', 'gemini'));
    expect(resolveBinary(rt, { env: { PATH: join(dir, 'path') }, roots })).toEqual({ ok: true, path: local });
    const own = exe(join(dir, 'mine'));
    expect(resolveBinary(rt, { env: { BATON_GEMINI_CLI_BIN: own }, roots })).toEqual({ ok: true, path: own });
    expect(resolveBinary(rt, { env: { PATH: '' }, roots: [] })).toEqual({
      ok: false,
      message: 'gemini not found: npm install @google/gemini-cli',
    });
  });

  it("finds the pinned CLIs in Baton's own node_modules/.bin", () => {
    for (const rt of Object.values(CLI_RUNTIMES)) {
      expect(resolveBinary(rt, { env: { PATH: '' } })).toMatchObject({ ok: true });
    }
  });
});
