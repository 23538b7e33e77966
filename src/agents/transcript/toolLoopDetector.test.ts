import { describe, expect, it } from 'vitest';
import { stableStringify, ToolLoopDetector } from './toolLoopDetector.ts';

describe('ToolLoopDetector', () => {
  it('counts identical calls in a row (key order does not matter) and reports the first loop', () => {
    const d = new ToolLoopDetector(3);
    expect(d.push('Bash', { command: 'npm test', timeout: 1 }).count).toBe(1);
    expect(d.push('Bash', { timeout: 1, command: 'npm test' }).count).toBe(2);
    expect(d.loop).toBeNull();
    expect(d.push('Bash', { command: 'npm test', timeout: 1 }).count).toBe(3);
    expect(d.loop).toEqual({ name: 'Bash', input: { command: 'npm test', timeout: 1 }, count: 3 });
    d.push('Bash', { command: 'npm test', timeout: 1 });
    expect(d.loop?.count).toBe(3);
    expect(d.longest?.count).toBe(4);
  });

  it('restarts on a different call', () => {
    const d = new ToolLoopDetector(2);
    d.push('Read', { file_path: 'a' });
    d.push('Read', { file_path: 'b' });
    d.push('Grep', { file_path: 'b' });
    expect(d.current).toEqual({ name: 'Grep', input: { file_path: 'b' }, count: 1 });
    expect(d.loop).toBeNull();
  });
});

describe('stableStringify', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(stableStringify({ b: [{ y: 1, x: 2 }], a: undefined, c: null })).toBe(
      '{"b":[{"x":2,"y":1}],"c":null}',
    );
    expect(stableStringify(undefined)).toBe('null');
  });
});
