export { claimSteps } from './claimSteps.ts';
export { lockKey } from './lockKey.ts';
export { openPostgres, ensureSchema } from './openPostgres.ts';
export { claimUndispatchedEvents } from './claimUndispatchedEvents.ts';
