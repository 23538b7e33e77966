import { describe, expect, it } from 'vitest';
import { didYouMean, didYouMeanSuffix } from './didYouMean.ts';

describe('didYouMean', () => {
  const keys = ['needs', 'name', 'run', 'retry', 'timeout', 'working_directory', 'continue_on_error'];

  it('suggests close words', () => {
    expect(didYouMean('neds', keys)).toBe('needs');
    expect(didYouMean('timout', keys)).toBe('timeout');
    expect(didYouMean('workingdirectory', keys)).toBe('working_directory');
    expect(didYouMean('contine_on_eror', keys)).toBe('continue_on_error');
  });

  it('counts a transposition as one edit', () => {
    expect(didYouMean('bulid', ['build', 'test'])).toBe('build');
  });

  it('is case-insensitive', () => {
    expect(didYouMean('RUN', keys)).toBe('run');
  });

  it('suggests nothing for distant words or the word itself', () => {
    expect(didYouMean('deploy', keys)).toBeUndefined();
    expect(didYouMean('x', ['abc'])).toBeUndefined();
    expect(didYouMean('c', ['a', 'b'])).toBeUndefined();
    expect(didYouMean('id', ['if'])).toBe('if');
    expect(didYouMean('run', ['run'])).toBeUndefined();
    expect(didYouMean('run', [])).toBeUndefined();
  });

  it('picks the closest candidate', () => {
    expect(didYouMean('retr', ['retry', 'return'])).toBe('retry');
  });

  it('formats a message suffix', () => {
    expect(didYouMeanSuffix('neds', keys)).toBe('; did you mean "needs"?');
    expect(didYouMeanSuffix('zzz', keys)).toBe('');
  });
});
