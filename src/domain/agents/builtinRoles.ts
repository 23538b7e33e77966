import { roleSpecSchema, type RoleSpec, type RoleSpecInput } from './roleSchema.ts';

/** Fields every role's final answer may carry (the agent contract). */
const CONTRACT = {
  changesetSummary: { type: 'string', description: 'what changed and why, for the pull request' },
  commitIds: { type: 'string[]', description: 'commits made on the branch, if any' },
  notes: { type: 'string', description: 'anything the next step or a reviewer should know' },
  artifactsOut: { type: 'string[]', description: 'paths of files produced for later steps' },
} as const;

const ANSWER = `
When you are done, end with one JSON object (and nothing after it) with the fields of your output
contract: {{ contract }}.`;

const roles: Record<string, RoleSpecInput> = {
  'spec-writer': {
    title: 'Spec writer',
    description: 'Turns an idea into a specification: goals, non-goals, behaviour, acceptance criteria.',
    prompt: `Write a specification for: {{ task }}\nRepository context: {{ context }}${ANSWER}`,
    runtime: 'openai-compatible',
    output: { fields: { ...CONTRACT, spec: { type: 'string', required: true } } },
  },
  'roadmap-decomposer': {
    title: 'Roadmap decomposer',
    description: 'Splits a specification into an ordered tree of epics, features and tasks.',
    prompt: `Decompose into an issue tree (epic / feature / task, ordered): {{ task }}${ANSWER}`,
    runtime: 'openai-compatible',
    output: { fields: { ...CONTRACT, issues: { type: 'object[]', required: true } } },
  },
  'acceptance-criteria-author': {
    title: 'Acceptance-criteria author',
    description: 'Writes testable acceptance criteria for an issue.',
    prompt: `Write testable acceptance criteria for: {{ task }}${ANSWER}`,
    runtime: 'openai-compatible',
    output: { fields: { ...CONTRACT, criteria: { type: 'string[]', required: true } } },
  },
  'issue-planner': {
    title: 'Issue planner',
    description: 'Reads the code and plans the change for one issue, step by step, before any edit.',
    prompt: `Plan the change for: {{ task }}\nDo not edit files: read, then plan.${ANSWER}`,
    disallowed_tools: ['Write', 'Edit', 'MultiEdit'],
    output: { fields: { ...CONTRACT, plan: { type: 'object[]', required: true } } },
  },
  developer: {
    title: 'Developer',
    description: 'Implements a planned change on the run branch, with tests. (Pipeline role: coding.)',
    prompt: `Implement: {{ task }}\nPlan: {{ plan }}\nKeep the change focused; add or update tests; run them.${ANSWER}`,
    constraints: [
      'never push or open pull requests: Baton does that after the step',
      'stay inside the worktree',
    ],
    output: { fields: { ...CONTRACT, changesetSummary: { type: 'string', required: true } } },
  },
  refactorer: {
    title: 'Refactorer',
    description: 'Improves structure without changing behaviour; the tests stay green.',
    prompt: `Refactor without changing behaviour: {{ task }}${ANSWER}`,
    output: { fields: { ...CONTRACT, changesetSummary: { type: 'string', required: true } } },
  },
  'test-author': {
    title: 'Test author',
    description: 'Writes the missing tests for a change or a bug.',
    prompt: `Write tests for: {{ task }}${ANSWER}`,
    output: { fields: { ...CONTRACT, changesetSummary: { type: 'string', required: true } } },
  },
  'code-reviewer': {
    title: 'Code reviewer',
    description: 'Reviews a pull request and approves or requests changes. (Pipeline role: reviewer.)',
    prompt: `Review this change: {{ task }}\nDiff: {{ diff }}${ANSWER}`,
    disallowed_tools: ['Write', 'Edit', 'MultiEdit'],
    output: {
      fields: {
        ...CONTRACT,
        verdict: { type: 'enum', values: ['approve', 'changes_requested'], required: true },
        comments: { type: 'object[]', description: '{path, line, body}' },
      },
    },
  },
  'qa-tester': {
    title: 'QA tester',
    description: 'Exercises the change like a user would and reports what fails.',
    prompt: `Test this change end to end: {{ task }}${ANSWER}`,
    output: {
      fields: {
        ...CONTRACT,
        verdict: { type: 'enum', values: ['pass', 'fail'], required: true },
        findings: { type: 'object[]' },
      },
    },
  },
  'security-auditor': {
    title: 'Security auditor',
    description: 'Audits a change or the repository for security problems. (Pipeline role: auditor.)',
    prompt: `Audit for security problems: {{ task }}${ANSWER}`,
    disallowed_tools: ['Write', 'Edit', 'MultiEdit'],
    output: {
      fields: {
        ...CONTRACT,
        verdict: { type: 'enum', values: ['pass', 'fail'], required: true },
        findings: { type: 'object[]' },
      },
    },
  },
  'release-manager': {
    title: 'Release manager',
    description: 'Prepares a release: version, changelog, release notes.',
    prompt: `Prepare the release: {{ task }}${ANSWER}`,
    runtime: 'openai-compatible',
    output: {
      fields: {
        ...CONTRACT,
        version: { type: 'string', required: true },
        releaseNotes: { type: 'string', required: true },
      },
    },
  },
  'infra-deploy-engineer': {
    title: 'Infra / deploy engineer',
    description: 'Deploys a merged change and reports the environment. (Pipeline role: deployer.)',
    prompt: `Deploy: {{ task }}${ANSWER}`,
    output: { fields: { ...CONTRACT, environment: { type: 'string' }, url: { type: 'string' } } },
  },
  starter: {
    title: 'Starter',
    description:
      'Picks up an assigned task and writes the plan the coding step follows (pipeline: task.assigned).',
    prompt: `A task was assigned: {{ task }}\nRead the repository and write the plan.${ANSWER}`,
    disallowed_tools: ['Write', 'Edit', 'MultiEdit'],
    output: { fields: { ...CONTRACT, plan: { type: 'object[]', required: true } } },
  },
  verifier: {
    title: 'Verifier',
    description: 'Checks a deployment does what the task asked (pipeline: deploy.completed).',
    prompt: `Verify the deployment of: {{ task }}${ANSWER}`,
    disallowed_tools: ['Write', 'Edit', 'MultiEdit'],
    output: { fields: { ...CONTRACT, verdict: { type: 'enum', values: ['pass', 'fail'], required: true } } },
  },
};

/** The pipeline roles of the agent manager map onto the catalog's. */
export const ROLE_ALIASES: Readonly<Record<string, string>> = {
  coding: 'developer',
  reviewer: 'code-reviewer',
  deployer: 'infra-deploy-engineer',
  auditor: 'security-auditor',
  planner: 'issue-planner',
};

/** Baton's built-in roles, validated once (a broken built-in is a bug: it throws at import). */
export const BUILTIN_ROLES: ReadonlyMap<string, RoleSpec> = new Map(
  Object.entries(roles).map(([name, spec]) => [name, roleSpecSchema.parse(spec)]),
);
