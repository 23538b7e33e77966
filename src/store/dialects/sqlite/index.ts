export { claimSteps } from './claimSteps.ts';
export { lockKey } from './lockKey.ts';
export { openSqlite } from './openSqlite.ts';
export { claimUndispatchedEvents } from './claimUndispatchedEvents.ts';
