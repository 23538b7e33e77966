import { describe, expect, it } from 'vitest';
import { addFilePatch, nativeToolCall } from './nativeToolCall.ts';

describe('nativeToolCall', () => {
  const write = { write_file: { path: 'src/a.txt', content: 'one\ntwo\n' } };

  it("uses each client's own file tool, absolute where the client wants it", () => {
    expect(nativeToolCall('anthropic', write, '/w')).toEqual({
      name: 'Write',
      input: { file_path: '/w/src/a.txt', content: 'one\ntwo\n' },
    });
    expect(nativeToolCall('gemini', write, '/w')).toEqual({
      name: 'write_file',
      input: { file_path: '/w/src/a.txt', content: 'one\ntwo\n' },
    });
    expect(nativeToolCall('responses', write, '/w')).toEqual({
      name: 'apply_patch',
      input: '*** Begin Patch\n*** Add File: src/a.txt\n+one\n+two\n*** End Patch\n',
    });
    expect(nativeToolCall('chat', write, undefined)).toEqual({
      name: 'write_file',
      input: { path: 'src/a.txt', content: 'one\ntwo\n' },
    });
    expect(
      nativeToolCall('anthropic', { write_file: { path: '/abs/x', content: '' } }, '/w').input,
    ).toMatchObject({
      file_path: '/abs/x',
    });
  });

  it("uses each client's shell tool, and passes raw tool calls through", () => {
    expect(nativeToolCall('anthropic', { shell: 'ls' }, undefined)).toMatchObject({
      name: 'Bash',
      input: { command: 'ls' },
    });
    expect(nativeToolCall('responses', { shell: 'ls' }, undefined)).toEqual({
      name: 'exec_command',
      input: { cmd: 'ls' },
    });
    expect(nativeToolCall('gemini', { shell: 'ls' }, undefined)).toMatchObject({
      name: 'run_shell_command',
      input: { command: 'ls' },
    });
    expect(nativeToolCall('chat', { shell: 'ls' }, undefined)).toEqual({
      name: 'shell',
      input: { command: 'ls' },
    });
    expect(nativeToolCall('gemini', { tool: { name: 'glob', input: { pattern: '*' } } }, '/w')).toEqual({
      name: 'glob',
      input: { pattern: '*' },
    });
  });

  it('writes an apply_patch body for content without a final newline', () => {
    expect(addFilePatch('a', 'x')).toBe('*** Begin Patch\n*** Add File: a\n+x\n*** End Patch\n');
    expect(addFilePatch('a', '')).toBe('*** Begin Patch\n*** Add File: a\n+\n*** End Patch\n');
  });
});
