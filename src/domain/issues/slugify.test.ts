import { describe, expect, it } from 'vitest';
import { slugify } from './slugify.ts';

describe('slugify', () => {
  it('lowercases and joins words with single dashes', () => {
    expect(slugify('Checkout: pay with  Card!')).toBe('checkout-pay-with-card');
  });
  it('keeps the letters under accents and drops other scripts', () => {
    expect(slugify('Crème brûlée façade')).toBe('creme-brulee-facade');
    expect(slugify('日本語')).toBe('issue');
  });
  it('is never empty and never ends with a dash', () => {
    expect(slugify('---')).toBe('issue');
    expect(slugify('a'.repeat(39) + ' bcd', 40)).toBe('a'.repeat(39));
    expect(slugify('x'.repeat(100)).length).toBe(40);
  });
});
