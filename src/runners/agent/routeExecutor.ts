import type { LogSink, StepExecResult, StepExecutor, StepJob } from '../../engine/ports/stepExecutor.ts';

/** `agent:` steps to the agent executor, `uses:` steps to the actions, everything else to commands. */
export function routeExecutor(
  commands: StepExecutor,
  agents: StepExecutor,
  actions: StepExecutor,
): StepExecutor {
  return {
    execute(job: StepJob, sink: LogSink, signal: AbortSignal): Promise<StepExecResult> {
      return (job.agent ? agents : job.uses ? actions : commands).execute(job, sink, signal);
    },
  };
}
