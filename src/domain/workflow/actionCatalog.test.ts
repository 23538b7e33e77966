import { describe, expect, it } from 'vitest';
import { isActionName, parseActionInput } from './actionCatalog.ts';

describe('action catalog', () => {
  it('knows the git and forge actions', () => {
    expect(isActionName('forge/pull-request')).toBe(true);
    expect(isActionName('forge/pr')).toBe(false);
  });
  it('coerces rendered text and names every bad key', () => {
    const ok = parseActionInput('forge/merge', {
      repository: 'acme/app',
      number: '12',
      require_checks: 'false',
    });
    expect(ok).toEqual({
      ok: true,
      value: {
        repository: 'acme/app',
        number: 12,
        method: 'merge',
        require_approval: true,
        require_checks: false,
      },
    });
    const bad = parseActionInput('forge/merge', { repository: 'acme/app', number: 'x', method: 'octopus' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.message).toContain('with.number');
      expect(bad.message).toContain('with.method');
    }
  });
});
