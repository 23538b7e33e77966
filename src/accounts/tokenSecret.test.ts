import { describe, expect, it } from 'vitest';
import { displayPrefix, generateSecret, hashSecret, hasValidChecksum } from './tokenSecret.ts';

describe('token secrets', () => {
  it('are prefixed, random and checksummed', () => {
    const a = generateSecret('personal');
    const b = generateSecret('personal');
    expect(a).toMatch(/^baton_pat_[0-9A-Za-z]{36}$/);
    expect(a).not.toBe(b);
    expect(hasValidChecksum(a)).toBe(true);
    expect(generateSecret('session')).toMatch(/^baton_ses_/);
  });

  it('detect a mistyped character through the checksum', () => {
    const s = generateSecret('personal');
    const i = 15;
    const typo = s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
    expect(hasValidChecksum(typo)).toBe(false);
    expect(hasValidChecksum('baton_pat_short')).toBe(false);
  });

  it('hash to hex sha256 and show only a prefix', () => {
    expect(hashSecret('x')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret('x')).toBe(hashSecret('x'));
    const s = generateSecret('personal');
    expect(displayPrefix(s)).toBe(s.slice(0, 14));
    expect(displayPrefix('my-admin-secret-value')).toBe('my-a…');
  });
});
