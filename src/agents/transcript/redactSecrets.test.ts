import { describe, expect, it } from 'vitest';
import { redactSecrets, redactValue } from './redactSecrets.ts';

describe('redactSecrets', () => {
  it('replaces given secret values, longest first, also JSON-escaped', () => {
    expect(redactSecrets('key=hunter22 and hunter22x', ['hunter22', 'hunter22x'])).toBe('key=*** and ***');
    expect(redactSecrets('{"p":"a\\"quoted\\"secret"}', ['a"quoted"secret'])).toBe('{"p":"***"}');
  });

  it('ignores secrets too short to be meaningful', () => {
    expect(redactSecrets('a cat sat', ['a', 'at'])).toBe('a cat sat');
  });

  it.each([
    ['ANTHROPIC key sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345', 'ANTHROPIC key ***'],
    ['openai sk-proj-AbCdEfGhIjKlMnOpQrStUv', 'openai ***'],
    ['token baton_pat_0123456789abcdefABCDEF0123456789abcdef', 'token ***'],
    ['gemini AIzaSyA1234567890abcdefghijklmnopqrstu', 'gemini ***'],
    ['gh ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'gh ***'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', 'Authorization: Bearer ***'],
    ['curl -H "x-api-key: abcdef123456" url', 'curl -H "x-api-key: ***" url'],
    ['{"api_key":"abcdef123456"}', '{"api_key":"***"}'],
    [
      'OPENAI_API_KEY=abcdef123456 GITHUB_TOKEN=ghs_short1 npm test',
      'OPENAI_API_KEY=*** GITHUB_TOKEN=*** npm test',
    ],
  ])('redacts %s', (input, output) => {
    expect(redactSecrets(input)).toBe(output);
  });

  it('leaves ordinary text alone', () => {
    const text = 'apiKeySource: ANTHROPIC_API_KEY, the bearer of news, sk-short, task-1234';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('redactValue', () => {
  it('redacts every string of a JSON value without touching the original', () => {
    const value = { a: ['x secret-value y', 3, null, true], b: { c: 'secret-value' }, secret_value: 1 };
    expect(redactValue(value, ['secret-value'])).toEqual({
      a: ['x *** y', 3, null, true],
      b: { c: '***' },
      secret_value: 1,
    });
    expect(value.b.c).toBe('secret-value');
  });
});
