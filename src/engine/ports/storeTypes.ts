export type * from '../../domain/records.ts';
export type { RunStatus } from '../../domain/runStatus.ts';
export type { StepStatus } from '../../domain/stepStatus.ts';
