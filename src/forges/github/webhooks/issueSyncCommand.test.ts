import { describe, expect, it } from 'vitest';
import { parseIssueSync, partOf, readerBody } from './issueSyncCommand.ts';

const body = `Items are added from the product page.\n\nPart of #3\nOrder: 1 of 2\n\n<!-- baton:issue=01a24ddb -->`;
const delivery = (
  action: string,
  over: Record<string, unknown> = {},
  sender = { login: 'ann', type: 'User' },
) => ({
  action,
  issue: {
    number: 7,
    title: 'Add item',
    body,
    state_reason: action === 'closed' ? 'completed' : null,
    labels: [],
    author_association: 'MEMBER',
    ...over,
  },
  repository: { full_name: 'acme/app' },
  sender,
});

describe('parseIssueSync', () => {
  const base = { githubNumber: 7, repository: 'acme/app', by: 'github:ann' };

  it('turns closed, reopened and edited deliveries into commands on the GitHub issue', () => {
    expect(parseIssueSync(delivery('closed'))).toEqual({
      kind: 'command',
      command: { kind: 'complete', ...base },
    });
    expect(parseIssueSync(delivery('reopened'))).toEqual({
      kind: 'command',
      command: { kind: 'reopen', ...base },
    });
    expect(parseIssueSync(delivery('edited'))).toEqual({
      kind: 'command',
      command: { kind: 'edit', ...base, title: 'Add item', body: 'Items are added from the product page.' },
    });
  });

  it('files a new issue labelled defect or bug that is part of another, from someone with write access', () => {
    const filed = delivery('opened', {
      title: 'Cart loses items',
      body: 'Part of #3\n\nThe cart empties on reload.',
      labels: [{ name: 'Bug' }],
    });
    expect(parseIssueSync(filed)).toEqual({
      kind: 'command',
      command: {
        kind: 'defect',
        ...base,
        parentNumber: 3,
        title: 'Cart loses items',
        body: 'The cart empties on reload.',
      },
    });
    const unlabelled = { ...filed, issue: { ...filed.issue, labels: [{ name: 'question' }] } };
    expect(parseIssueSync(unlabelled)).toMatchObject({ kind: 'none', reason: 'not labelled defect or bug' });
    const outsider = { ...filed, issue: { ...filed.issue, author_association: 'NONE' } };
    expect(parseIssueSync(outsider)).toEqual({
      kind: 'none',
      reason: 'filed by NONE: only users with write access file defects',
    });
    const loose = { ...filed, issue: { ...filed.issue, body: 'no parent here' } };
    expect(parseIssueSync(loose)).toMatchObject({ kind: 'none', reason: 'not part of another issue' });
  });

  it('ignores what is not a person acting on an issue', () => {
    expect(parseIssueSync(delivery('labeled')).kind).toBe('none');
    expect(parseIssueSync(delivery('closed', { state_reason: 'not_planned' }))).toMatchObject({
      kind: 'none',
      reason: 'closed as not planned',
    });
    expect(parseIssueSync(delivery('closed', { pull_request: { url: 'x' } })).kind).toBe('none');
    expect(parseIssueSync(delivery('edited', {}, { login: 'baton[bot]', type: 'Bot' }))).toMatchObject({
      kind: 'none',
      reason: "Baton's own change",
    });
    expect(parseIssueSync({ ...delivery('closed'), repository: undefined }).kind).toBe('none');
  });
});

describe('readerBody and partOf', () => {
  it("drops Baton's footer and markers, keeps what people wrote", () => {
    expect(readerBody(body)).toBe('Items are added from the product page.');
    expect(readerBody('Order: 1 of 2 is a phrase here\n\nPart of #3')).toBe('Order: 1 of 2 is a phrase here');
    expect(readerBody('Part of #3\nSteps: reload')).toBe('Steps: reload');
    expect(readerBody(null)).toBe('');
    expect(partOf(body)).toBe(3);
    expect(partOf('part of #3, sort of')).toBeNull();
    expect(partOf(42)).toBeNull();
  });
});
