import { describe, expect, it } from 'vitest';
import { githubName } from './repoResolver.ts';

describe('githubName', () => {
  it('reads owner/name from github.com URLs in https, ssh and scp form', () => {
    expect(githubName('https://github.com/acme/app')).toBe('acme/app');
    expect(githubName('https://github.com/acme/app.git')).toBe('acme/app');
    expect(githubName('git@github.com:acme/app.git')).toBe('acme/app');
    expect(githubName('ssh://git@github.com/acme/app')).toBe('acme/app');
    expect(githubName('https://gitlab.com/acme/app')).toBeNull();
  });
  it('reads a GitHub Enterprise host when given', () => {
    expect(githubName('https://ghe.example.com/acme/app', 'ghe.example.com')).toBe('acme/app');
    expect(githubName('https://ghe.example.com/acme/app')).toBeNull();
    expect(githubName('https://gheXexample.com/acme/app', 'ghe.example.com')).toBeNull();
  });
});
