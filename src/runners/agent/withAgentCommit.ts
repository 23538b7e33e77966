import type { LogSink, StepExecResult, StepExecutor, StepJob } from '../../engine/ports/stepExecutor.ts';

const line = (s: string): Buffer => Buffer.from(`${s}\n`);

/** The commit message of an agent's work: its `changesetSummary`, else its `summary`, else the step. */
export function agentCommitMessage(job: StepJob, outputs: Record<string, string>): string {
  const given = job.agent?.commit?.message;
  if (given !== undefined && given.trim() !== '') return given;
  const summary = [outputs['changesetSummary'], outputs['summary']].find(
    (s) => s !== undefined && s.trim() !== '',
  );
  if (summary !== undefined) return summary;
  return `Changes by ${job.agent?.role ?? 'an agent'} (run ${job.runId}, step ${job.stepKey})`;
}

/**
 * `agent.commit`: once the agent is done, its work is staged, committed and pushed host-side by
 * the `git/commit` action (the forge's credentials never reach the agent). Nothing is committed
 * when the agent step did not succeed, unless `on_failure`; never when it was cancelled. A failed
 * commit or push fails the step, naming it (the agent's outputs are kept).
 */
export function withAgentCommit(agents: StepExecutor, actions: StepExecutor): StepExecutor {
  return {
    async execute(job: StepJob, sink: LogSink, signal: AbortSignal): Promise<StepExecResult> {
      const res = await agents.execute(job, sink, signal);
      const commit = job.agent?.commit;
      if (!commit || job.dryRun || res.outcome === 'cancelled') return res;
      if (res.outcome !== 'success' && !commit.onFailure) {
        await sink.write('system', line(`not committing: the agent step did not succeed (${res.outcome})`));
        return res;
      }
      const message = agentCommitMessage(job, res.outputs);
      const { agent: _agent, ...rest } = job;
      const committed = await actions.execute(
        {
          ...rest,
          uses: {
            action: 'git/commit',
            with: {
              path: job.cwd,
              message,
              push: commit.push,
              ...(commit.repository === undefined ? {} : { repository: commit.repository }),
            },
            workspaceId: job.agent?.workspaceId ?? 'default',
          },
        },
        sink,
        signal,
      );
      const outputs = {
        ...res.outputs,
        ...(committed.outcome === 'success'
          ? {
              commit_sha: committed.outputs['sha'] ?? '',
              committed: committed.outputs['committed'] ?? 'false',
              pushed: committed.outputs['pushed'] ?? 'false',
              branch: committed.outputs['branch'] ?? '',
            }
          : {}),
      };
      if (committed.outcome === 'success') return { ...res, outputs };
      const why = committed.error?.message ?? committed.outcome;
      return {
        ...res,
        outcome: committed.outcome === 'cancelled' ? 'cancelled' : 'failure',
        exitCode: null,
        outputs,
        error: {
          code: committed.outcome === 'cancelled' ? 'cancelled' : 'step_failed',
          message: `the agent finished (${res.outcome}), but committing its work failed: ${why}`,
        },
      };
    },
  };
}
