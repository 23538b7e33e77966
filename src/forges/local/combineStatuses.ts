import type { CiState, CommitState } from '../Forge.ts';

/**
 * The combined state of a commit's statuses (one per context): failure if any failed or errored,
 * pending if any is pending or none was reported, else success.
 */
export function combineStatuses(states: readonly CommitState[]): CiState['state'] {
  if (states.some((s) => s === 'failure' || s === 'error')) return 'failure';
  if (states.length === 0 || states.includes('pending')) return 'pending';
  return 'success';
}
