import { createHash } from 'node:crypto';

/**
 * A UUIDv7 for a dispatch that is the same every time the step runs: its time field is the run's
 * (run ids are UUIDv7), the rest comes from a hash of the step's idempotency key. Receivers
 * deduplicate by it; ids still sort by the run's start.
 */
export function dispatchIdFor(runId: string, idempotencyKey: string): string {
  const hex = runId.replace(/-/g, '');
  const time =
    /^[0-9a-f]{12}/i.test(hex) && hex[12] === '7' ? hex.slice(0, 12).toLowerCase() : '000000000000';
  const h = createHash('sha256').update(idempotencyKey).digest('hex');
  const variant = ((parseInt(h[15] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const rest = `7${h.slice(0, 3)}${variant}${h.slice(3, 18)}`;
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-${rest.slice(0, 4)}-${rest.slice(4, 8)}-${rest.slice(8, 20)}`;
}
