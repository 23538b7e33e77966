/** Injectable time source (graphile-worker's `useNodeTime`): tests move time, production uses Date.now. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
