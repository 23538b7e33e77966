import { describe, expect, it } from 'vitest';
import { grantedSecrets } from './grantedSecrets.ts';

describe('grantedSecrets', () => {
  const env = { NPM_TOKEN: 'npm_abc', ANTHROPIC_API_KEY: 'sk-x' };
  it('gives the allowed, set variables', () => {
    expect(grantedSecrets(['NPM_TOKEN'], ['NPM_TOKEN'], env)).toEqual({ env: { NPM_TOKEN: 'npm_abc' } });
    expect(grantedSecrets([], [], env)).toEqual({ env: {} });
  });
  it('refuses one the operator did not allow, or one that is not set, naming it', () => {
    const refused = grantedSecrets(['ANTHROPIC_API_KEY'], ['NPM_TOKEN'], env);
    expect('problem' in refused && refused.problem).toContain(
      'ANTHROPIC_API_KEY, which steps may not receive',
    );
    expect(grantedSecrets(['PYPI_TOKEN'], ['PYPI_TOKEN'], env)).toEqual({
      problem: "agent.secrets names PYPI_TOKEN, which is not set in the server's environment",
    });
  });
});
