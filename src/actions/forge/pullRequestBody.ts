/** The sections of a pull request Baton opens. */
export interface PullRequestSections {
  plan?: string | undefined;
  changes?: string | undefined;
  tests?: string | undefined;
  risks?: string | undefined;
}

const SECTIONS: [keyof PullRequestSections, string][] = [
  ['plan', 'Plan'],
  ['changes', 'Changes'],
  ['tests', 'Tests'],
  ['risks', 'Risks'],
];

/** The body template: plan, changes, tests, risks (each "—" when not given), then where it came from. */
export function pullRequestBody(s: PullRequestSections, origin: { runId: string; stepKey: string }): string {
  const parts = SECTIONS.map(([k, title]) => `## ${title}\n\n${s[k]?.trim() || '—'}`);
  return `${parts.join('\n\n')}\n\n---\nOpened by Baton (run ${origin.runId}, step ${origin.stepKey}).\n`;
}
