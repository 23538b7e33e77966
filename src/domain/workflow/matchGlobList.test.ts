import { describe, expect, it } from 'vitest';
import { globToRegExp, matchGlobList } from './matchGlobList.ts';

describe('globToRegExp', () => {
  it('reads *, ** and ? as GitHub Actions filters do; the rest literally', () => {
    const m = (glob: string, value: string) => globToRegExp(glob).test(value);
    expect(m('main', 'main')).toBe(true);
    expect(m('main', 'mainline')).toBe(false);
    expect(m('release/*', 'release/1.0')).toBe(true);
    expect(m('release/*', 'release/1.0/hotfix')).toBe(false);
    expect(m('release/**', 'release/1.0/hotfix')).toBe(true);
    expect(m('**', 'a/b/c')).toBe(true);
    expect(m('v?', 'v1')).toBe(true);
    expect(m('v?', 'v10')).toBe(false);
    expect(m('v1.*', 'v1x2')).toBe(false); // "." is literal
    expect(m('dependabot[bot]', 'dependabot[bot]')).toBe(true);
    expect(m('dependabot[bot]', 'dependabotb')).toBe(false);
    expect(m('a+(b)|c$', 'a+(b)|c$')).toBe(true);
    expect(globToRegExp('Acme/*', { ignoreCase: true }).test('acme/demo')).toBe(true);
    expect(globToRegExp('Acme/*').test('acme/demo')).toBe(false);
  });
});

describe('matchGlobList', () => {
  it('lets the last matching pattern decide; exclusions only start from everything', () => {
    expect(matchGlobList(['main', 'dev'], 'dev')).toBe(true);
    expect(matchGlobList(['main', 'dev'], 'feature')).toBe(false);
    expect(matchGlobList(['release/**', '!release/**-alpha'], 'release/1.0')).toBe(true);
    expect(matchGlobList(['release/**', '!release/**-alpha'], 'release/1.0-alpha')).toBe(false);
    expect(matchGlobList(['!release/**-alpha', 'release/**'], 'release/1.0-alpha')).toBe(true);
    expect(matchGlobList(['!*[bot]'], 'octocat')).toBe(true);
    expect(matchGlobList(['!*[bot]'], 'dependabot[bot]')).toBe(false);
  });
});
