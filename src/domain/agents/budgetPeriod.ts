import { assertExhaustive } from '../assertExhaustive.ts';
import type { BudgetPeriod } from './agentAttempt.ts';

/** The start (epoch ms) of the UTC calendar period `now` falls in; weeks start on Monday. */
export function periodStart(period: BudgetPeriod, now: number): number {
  const d = new Date(now);
  switch (period) {
    case 'total':
      return 0;
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'week': {
      const sinceMonday = (d.getUTCDay() + 6) % 7;
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - sinceMonday);
    }
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    default:
      return assertExhaustive(period);
  }
}
