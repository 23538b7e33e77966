import type { LogSink, StepExecResult, StepExecutor, StepJob } from '../../engine/ports/stepExecutor.ts';

/** `agent:` steps to the agent executor, everything else to the command executor. */
export function routeExecutor(commands: StepExecutor, agents: StepExecutor): StepExecutor {
  return {
    execute(job: StepJob, sink: LogSink, signal: AbortSignal): Promise<StepExecResult> {
      return (job.agent ? agents : commands).execute(job, sink, signal);
    },
  };
}
