import { describe, expect, it } from 'vitest';
import { formatWorkflowIssue } from './formatWorkflowIssue.ts';
import { githubPatternProblem } from './githubTriggerSchema.ts';
import { parseWorkflow } from './parseWorkflow.ts';

const STEPS = 'steps:\n  - id: s\n    run: echo hi\n';

function parse(triggers: string, inputs = '') {
  return parseWorkflow(`name: gh\n${inputs}triggers:\n${triggers}${STEPS}`, { file: 'wf.yaml' });
}

function errorsOf(triggers: string, inputs = ''): string[] {
  const result = parse(triggers, inputs);
  if (result.ok) throw new Error('expected errors, the workflow is valid');
  return result.errors.map(formatWorkflowIssue);
}

describe('github triggers: parsing', () => {
  it('normalises filters to lists, and the shorthand to an unfiltered trigger', () => {
    const result = parse(
      `  - github: push
  - github:
      event: pull_request.labeled
      label: agent
      repository: [acme/demo, "acme/*"]
      actor: "!dependabot[bot]"
      draft: false
      if: event.payload.number > 0
      inputs: { issue: "{{ event.payload.number }}" }
      allow_self: true
`,
      'inputs:\n  issue: { type: number }\n',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.workflow.triggers).toEqual([
      { type: 'github', event: 'push', filter: {}, inputs: {}, allowSelf: false },
      {
        type: 'github',
        event: 'pull_request.labeled',
        filter: {
          labels: ['agent'],
          repositories: ['acme/demo', 'acme/*'],
          actors: ['!dependabot[bot]'],
          draft: false,
        },
        if: 'event.payload.number > 0',
        inputs: { issue: '{{ event.payload.number }}' },
        allowSelf: true,
      },
    ]);
    // stored as JSON in the database: a round trip changes nothing
    expect(JSON.parse(JSON.stringify(result.workflow))).toEqual(result.workflow);
  });

  it('accepts branch and tag filters on push, both at once', () => {
    const result = parse(
      '  - github: { event: push, branch: [main, "release/**", "!release/**-rc"], tag: "v*" }\n',
    );
    expect(result.ok && result.workflow.triggers[0]).toMatchObject({
      filter: { branches: ['main', 'release/**', '!release/**-rc'], tags: ['v*'] },
    });
  });
});

describe('github triggers: errors with file:line:column', () => {
  it('refuses unknown events and actions with a suggestion', () => {
    expect(
      errorsOf(`  - github: { event: pull_requests.opened }
  - github: isues
  - github:
      event: issues.labled
`),
    ).toEqual([
      'wf.yaml:3:22: triggers[0].github.event: unknown GitHub event "pull_requests"; did you mean "pull_request"?',
      'wf.yaml:4:13: triggers[1].github: unknown GitHub event "isues"; did you mean "issues"?',
      'wf.yaml:6:14: triggers[2].github.event: unknown action "labled" of GitHub\'s "issues" event; did you mean "labeled"?',
    ]);
  });

  it('refuses bad globs, unknown keys and filters the event never carries', () => {
    expect(
      errorsOf(`  - github:
      event: push
      branch: ["main", "feat[1]"]
      repository: acme
      tag: refs/tags/v1
      lable: agent
  - github: { event: issues.opened, label: "!wip", actor: "no body" }
  - github: { event: issues.opened, branch: main }
`),
    ).toEqual([
      'wf.yaml:5:24: triggers[0].github.branch[1]: invalid branch pattern "feat[1]": not a valid git branch name or glob',
      'wf.yaml:6:19: triggers[0].github.repository: invalid repository pattern "acme": expected "owner/name", e.g. "acme/demo" or "acme/*"',
      'wf.yaml:7:12: triggers[0].github.tag: invalid tag pattern "refs/tags/v1": write the tag name without "refs/tags/"',
      'wf.yaml:8:7: triggers[0].github.lable: unknown key; did you mean "label"?',
      'wf.yaml:9:44: triggers[1].github.label: invalid label pattern "!wip": labels cannot be excluded with "!" (use `if:`)',
      'wf.yaml:9:59: triggers[1].github.actor: invalid actor pattern "no body": expected a GitHub login such as "octocat" or "dependabot[bot]"',
      'wf.yaml:10:45: triggers[2].github.branch: GitHub\'s "issues" events carry no branch, so this never matches (branch filters: push, create, delete, pull_request, pull_request_review, pull_request_review_comment, pull_request_review_thread, check_run, check_suite, workflow_run, workflow_job, merge_group)',
    ]);
  });

  it('checks the if expression and the inputs as for event triggers', () => {
    expect(
      errorsOf(
        `  - github:
      event: issues.opened
      if: 'evnt.payload.x'
      inputs: { issue: "{{ event.payload.issue.number }}", nope: 1 }
  - github: issues.opened
`,
        'inputs:\n  issue: { type: number, required: true }\n',
      ),
    ).toEqual([
      'wf.yaml:7:11: triggers[0].github.if: unknown variable "evnt" in "evnt.payload.x"; did you mean "event"?',
      'wf.yaml:8:66: triggers[0].github.inputs.nope: unknown input "nope"',
      'wf.yaml:9:13: triggers[1].github.inputs: input "issue" is required',
    ]);
  });

  it('allows one kind per trigger', () => {
    expect(errorsOf('  - { github: push, event: pr.created }\n')).toEqual([
      'wf.yaml:3:5: triggers[0]: a trigger has one kind, not "event" and "github" (add another trigger)',
    ]);
  });
});

describe('githubPatternProblem', () => {
  it('knows each kind of pattern', () => {
    expect(githubPatternProblem('branch', 'release/**')).toBeNull();
    expect(githubPatternProblem('branch', '!main')).toBeNull();
    expect(githubPatternProblem('branch', '')).toMatch(/must not be empty/);
    expect(githubPatternProblem('branch', '!')).toMatch(/must not be empty/);
    expect(githubPatternProblem('branch', 'a***')).toMatch(/"\*\*\*" is not a glob/);
    expect(githubPatternProblem('branch', 'a..b')).toMatch(/not a valid git branch/);
    expect(githubPatternProblem('branch', 'refs/heads/main')).toMatch(/without "refs\/heads\/"/);
    expect(githubPatternProblem('repository', 'acme/*')).toBeNull();
    expect(githubPatternProblem('repository', '*/*')).toBeNull();
    expect(githubPatternProblem('repository', 'acme/demo/x')).toMatch(/owner\/name/);
    expect(githubPatternProblem('actor', 'renovate[bot]')).toBeNull();
    expect(githubPatternProblem('label', 'good first issue')).toBeNull();
    expect(githubPatternProblem('label', 'priority/*')).toBeNull();
  });
});
