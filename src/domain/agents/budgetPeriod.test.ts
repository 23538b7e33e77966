import { describe, expect, it } from 'vitest';
import { periodStart } from './budgetPeriod.ts';

describe('periodStart', () => {
  const now = Date.parse('2026-11-22T15:30:00Z'); // a Sunday
  it('gives the UTC start of the day, week (Monday), month, or 0 for total', () => {
    expect(new Date(periodStart('day', now)).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(new Date(periodStart('week', now)).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(new Date(periodStart('month', now)).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(periodStart('total', now)).toBe(0);
  });
  it('puts a Monday in its own week', () => {
    const monday = Date.parse('2026-11-16T00:00:01Z');
    expect(new Date(periodStart('week', monday)).toISOString()).toBe('2026-11-16T00:00:00.000Z');
  });
});
