import { describe, expect, it } from 'vitest';
import { readModelRequest } from './readModelRequest.ts';
import { findWorkingDirectory } from './findWorkingDirectory.ts';

const gemini = { model: 'gemini-2.5-flash', stream: true };

describe('reading requests (shapes as Claude Code, Codex and Gemini CLI send them)', () => {
  it('Anthropic Messages: user text, cwd, model turns, tool results after the last assistant turn', () => {
    const r = readModelRequest(
      'anthropic',
      {
        model: 'claude-sonnet-4-5',
        stream: true,
        system: [{ type: 'text', text: 'You are Claude.' }],
        tools: [{ name: 'Write' }, { name: 'Bash' }],
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'text',
                text: '<system-reminder>\n - Primary working directory: /w/p\n</system-reminder>',
              },
              { type: 'text', text: '[scenario:s] go' },
            ],
          },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'x' }] },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Write', input: {} }] },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 't1',
                content: [{ type: 'text', text: 'ok' }],
                is_error: true,
              },
            ],
          },
        ],
      },
      gemini,
    );
    expect(r).toMatchObject({
      api: 'anthropic',
      model: 'claude-sonnet-4-5',
      stream: true,
      cwd: '/w/p',
      modelTurns: 1,
    });
    expect(r.userText).toContain('[scenario:s] go');
    expect(r.tools).toEqual(['Write', 'Bash']);
    expect(r.toolResults).toEqual([{ callId: 't1', name: undefined, output: 'ok', isError: true }]);
  });

  it('OpenAI Responses: every *_call and reasoning item is model output; *_call_output are results', () => {
    const r = readModelRequest(
      'responses',
      {
        model: 'gpt-5.5',
        stream: true,
        tools: [
          { type: 'function', name: 'exec_command' },
          { type: 'custom', name: 'apply_patch' },
          { type: 'web_search' },
        ],
        input: [
          { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'rules' }] },
          {
            type: 'message',
            role: 'user',
            content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/w/c</cwd>' }],
          },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: '[scenario:s]' }] },
          { type: 'reasoning', summary: [] },
          { type: 'custom_tool_call', call_id: 'c1', name: 'apply_patch', input: '*** Begin Patch' },
          { type: 'custom_tool_call_output', call_id: 'c1', output: 'Success.' },
          { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'done' }] },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'again' }] },
          { type: 'function_call', call_id: 'c2', name: 'exec_command', arguments: '{}' },
          { type: 'function_call_output', call_id: 'c2', output: 'out' },
        ],
      },
      gemini,
    );
    expect(r).toMatchObject({
      cwd: '/w/c',
      modelTurns: 3,
      tools: ['exec_command', 'apply_patch', 'web_search'],
    });
    expect(r.toolResults).toEqual([{ callId: 'c2', name: undefined, output: 'out', isError: false }]);
    expect(readModelRequest('responses', { model: 'm', input: 'hi [scenario:t]' }, gemini).userText).toBe(
      'hi [scenario:t]',
    );
  });

  it('Chat Completions: assistant messages and role=tool results', () => {
    const r = readModelRequest(
      'chat',
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'Working directory: /w/x' },
          { role: 'user', content: 'go' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'k', type: 'function' }] },
          { role: 'tool', tool_call_id: 'k', content: 'written' },
        ],
        tools: [{ type: 'function', function: { name: 'write_file' } }],
      },
      gemini,
    );
    expect(r).toMatchObject({
      stream: false,
      cwd: '/w/x',
      modelTurns: 1,
      tools: ['write_file'],
      userText: 'go',
    });
    expect(r.toolResults).toEqual([{ callId: 'k', name: undefined, output: 'written', isError: false }]);
  });

  it('Gemini: model contents are turns; functionResponse parts are results; the model comes from the URL', () => {
    const r = readModelRequest(
      'gemini',
      {
        contents: [
          {
            role: 'user',
            parts: [{ text: '- **Workspace Directories:**\n  - /w/g\n' }, { text: '[scenario:s]' }],
          },
          { role: 'model', parts: [{ functionCall: { name: 'write_file', args: {} } }] },
          {
            role: 'user',
            parts: [{ functionResponse: { id: 'f1', name: 'write_file', response: { output: 'Wrote it' } } }],
          },
        ],
        tools: [{ functionDeclarations: [{ name: 'write_file' }, { name: 'run_shell_command' }] }],
      },
      gemini,
    );
    expect(r).toMatchObject({ model: 'gemini-2.5-flash', stream: true, cwd: '/w/g', modelTurns: 1 });
    expect(r.tools).toEqual(['write_file', 'run_shell_command']);
    expect(r.toolResults).toEqual([{ callId: 'f1', name: 'write_file', output: 'Wrote it', isError: false }]);
  });

  it('finds the working directory in each CLI wording', () => {
    expect(findWorkingDirectory('x', 'I am currently working in the directory: /a/b')).toBe('/a/b');
    expect(findWorkingDirectory('nothing here')).toBeUndefined();
  });
});
