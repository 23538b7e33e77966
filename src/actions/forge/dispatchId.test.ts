import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../domain/ids.ts';
import { dispatchIdFor } from './dispatchId.ts';

describe('dispatchIdFor', () => {
  it('is a stable UUIDv7 carrying the run’s time, distinct per step key', () => {
    const run = uuidv7();
    const a = dispatchIdFor(run, `${run}:notify:0`);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(dispatchIdFor(run, `${run}:notify:0`)).toBe(a);
    expect(dispatchIdFor(run, `${run}:notify:1`)).not.toBe(a);
    expect(a.slice(0, 13)).toBe(run.slice(0, 13));
  });
});
