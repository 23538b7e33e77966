/**
 * Workflows the forge-action tests share: a worktree with a scripted change proposed as one
 * pull request (forge/propose), and the same followed by a forge/merge with the given keys.
 */
export const proposeFlow = (
  repository: string,
  o: { branch?: string; reviewers?: string; retry?: string; message?: string } = {},
) => `
name: propose
steps:
  - id: ws
    uses: git/workspace
    with: { repository: ${repository}, slug: greeting${o.branch ? `, branch: ${o.branch}, base: main` : ''} }
  - id: change
    needs: [ws]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: echo "hello" > greeting-$RANDOM.txt
  - id: propose
    needs: [change]
    uses: forge/propose
    ${o.retry ?? ''}
    with:
      path: "{{ steps.ws.outputs.path }}"
      repository: ${repository}
      message: ${o.message ?? 'Add a greeting'}
      title: Add a greeting
      plan: Write a file.
      changes: One new file.
      tests: None needed.
      risks: None.
      ${o.reviewers ? `reviewers: "${o.reviewers}"` : ''}
`;

export const mergeFlow = (name: string, repository: string, merge: string, extra = '') => `
name: ${name}
steps:
  - id: ws
    uses: git/workspace
    with: { repository: ${repository}, slug: merge }
  - id: change
    needs: [ws]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: echo "hello" > merge-$RANDOM.txt
  - id: propose
    needs: [change]
    uses: forge/propose
    with: { path: "{{ steps.ws.outputs.path }}", repository: ${repository}, message: A change, title: A change }
  - id: merge
    needs: [propose]
    uses: forge/merge
    timeout: 60s
    with: { repository: ${repository}, number: "{{ steps.propose.outputs.number }}", method: squash, poll: 100ms, ${merge} }
${extra}`;
