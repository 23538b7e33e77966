import type { JulesActivity, JulesSessionState } from '../runtimes/jules/julesTypes.ts';

/** What one scripted Jules session does (every field has a default). */
export interface FakeJulesScript {
  planSteps: string[];
  message: string;
  command: { command: string; output: string; exitCode: number };
  patch: string;
  /** end FAILED with this reason right after the plan */
  failReason?: string;
  /** stop in AWAITING_USER_FEEDBACK with this question after the plan */
  question?: string;
}

export const DEFAULT_PATCH = [
  'diff --git a/src/health.ts b/src/health.ts',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/src/health.ts',
  '@@ -0,0 +1 @@',
  "+export const health = () => 'ok';",
  'diff --git a/README.md b/README.md',
  '--- a/README.md',
  '+++ b/README.md',
  '@@ -1 +1,2 @@',
  ' # demo',
  '+See /health.',
  '',
].join('\n');

export const DEFAULT_SCRIPT: FakeJulesScript = {
  planSteps: ['Add the health route', 'Document it'],
  message: 'I added the health route and documented it.',
  command: { command: 'npm test', output: '1 passed', exitCode: 0 },
  patch: DEFAULT_PATCH,
};

/** Activity content without its name/id/createTime (the fake adds those). */
export type ActivityBody = Omit<JulesActivity, 'name' | 'id' | 'createTime'>;

/** One step of the state machine, applied on a poll. */
export interface Stage {
  state: JulesSessionState;
  activity?: ActivityBody;
  /** stay here until `:approvePlan` */
  awaitApproval?: boolean;
  complete?: boolean;
}

/** QUEUED → PLANNING → (AWAITING_PLAN_APPROVAL →) IN_PROGRESS → COMPLETED, or FAILED / AWAITING_USER_FEEDBACK. */
export function julesStages(s: FakeJulesScript, requirePlanApproval: boolean): Stage[] {
  const plan = {
    id: 'plan-1',
    steps: s.planSteps.map((title, index) => ({ id: `step-${index}`, title, index })),
  };
  const stages: Stage[] = [
    {
      state: 'PLANNING',
      activity: {
        originator: 'agent',
        progressUpdated: { title: 'Planning', description: 'Reading the repository' },
      },
    },
    requirePlanApproval
      ? {
          state: 'AWAITING_PLAN_APPROVAL',
          activity: { originator: 'agent', planGenerated: { plan } },
          awaitApproval: true,
        }
      : { state: 'IN_PROGRESS', activity: { originator: 'agent', planGenerated: { plan } } },
  ];
  if (!requirePlanApproval)
    stages.push({
      state: 'IN_PROGRESS',
      activity: { originator: 'system', planApproved: { planId: plan.id } },
    });
  if (s.failReason !== undefined) {
    stages.push({
      state: 'FAILED',
      activity: { originator: 'system', sessionFailed: { reason: s.failReason } },
    });
    return stages;
  }
  if (s.question !== undefined) {
    stages.push({
      state: 'AWAITING_USER_FEEDBACK',
      activity: { originator: 'agent', agentMessaged: { agentMessage: s.question } },
    });
    return stages;
  }
  const { command, output, exitCode } = s.command;
  stages.push(
    {
      state: 'IN_PROGRESS',
      activity: {
        originator: 'agent',
        progressUpdated: { title: 'Ran the tests' },
        artifacts: [{ bashOutput: { command, output, exitCode } }],
      },
    },
    {
      state: 'IN_PROGRESS',
      activity: {
        originator: 'agent',
        progressUpdated: { title: 'Changed files' },
        artifacts: [
          {
            changeSet: {
              source: 'sources/github-acme-demo',
              gitPatch: {
                unidiffPatch: s.patch,
                baseCommitId: 'abc123',
                suggestedCommitMessage: 'Add a health route',
              },
            },
          },
        ],
      },
    },
    { state: 'IN_PROGRESS', activity: { originator: 'agent', agentMessaged: { agentMessage: s.message } } },
    { state: 'COMPLETED', activity: { originator: 'system', sessionCompleted: {} }, complete: true },
  );
  return stages;
}
