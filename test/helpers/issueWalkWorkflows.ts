/**
 * Scripted `work` and `integrate` workflows for examples/issue-tree.yaml: a leaf writes
 * `work/<issue id>.txt` on its branch and merges its pull request into its parent's; a finished
 * parent brings its branch up to date with its own parent's (git/update), then merges into it. On the local forge Baton approves the pull
 * requests itself (`approve`); on GitHub an App cannot approve its own, so a green status gates the
 * leaf's merge instead.
 */
export function issueWalkWorkflows(
  prefix: string,
  o: { approve: boolean },
): { work: string; integrate: string } {
  const inputs = `inputs:
  repo: { type: string }
  issue: { type: string }
  title: { type: string }
  body: { type: string, default: "" }`;
  const repo = 'repository: "{{ inputs.repo }}"';
  const gate = (needs: string) =>
    o.approve
      ? `  - id: gate
    needs: [${needs}]
    uses: forge/review
    with: { ${repo}, number: "{{ steps.pr.outputs.number }}", verdict: approve }`
      : `  - id: gate
    needs: [${needs}]
    uses: forge/status
    with: { ${repo}, ref: "{{ steps.pr.outputs.head_sha }}", context: ci/test, state: success }`;
  const merge = (checks: boolean) => `  - id: merge
    needs: [gate]
    uses: forge/merge
    with:
      ${repo}
      number: "{{ steps.pr.outputs.number }}"
      issue: "{{ inputs.issue }}"
      require_approval: ${String(o.approve)}
      require_checks: ${String(checks && !o.approve)}`;
  const work = `
name: ${prefix}-work
${inputs}
steps:
  - id: ws
    uses: git/workspace
    with: { ${repo}, issue: "{{ inputs.issue }}" }
  - id: change
    needs: [ws]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: mkdir -p work && echo "{{ inputs.title }}" > "work/{{ inputs.issue }}.txt"
  - id: commit
    needs: [change]
    uses: git/commit
    with: { path: "{{ steps.ws.outputs.path }}", ${repo}, message: "{{ inputs.title }}" }
  - id: pr
    needs: [commit]
    uses: forge/pull-request
    with: { ${repo}, issue: "{{ inputs.issue }}", title: "{{ inputs.title }}", plan: "{{ inputs.body }}" }
${gate('pr')}
${merge(true)}
  - id: cleanup
    needs: [merge]
    uses: git/cleanup
    with: { path: "{{ steps.ws.outputs.path }}" }
`;
  const integrate = `
name: ${prefix}-integrate
${inputs}
steps:
  - id: ws
    uses: git/workspace
    with: { ${repo}, issue: "{{ inputs.issue }}" }
  - id: update
    needs: [ws]
    uses: git/update
    with: { path: "{{ steps.ws.outputs.path }}", ${repo}, issue: "{{ inputs.issue }}" }
  - id: pr
    needs: [update]
    uses: forge/pull-request
    with: { ${repo}, issue: "{{ inputs.issue }}", title: "Integrate {{ inputs.title }}" }
${o.approve ? gate('pr') : `  - id: gate\n    needs: [pr]\n    run: "true"`}
${merge(false)}
`;
  return { work, integrate };
}
