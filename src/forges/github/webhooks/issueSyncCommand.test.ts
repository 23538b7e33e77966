import { describe, expect, it } from 'vitest';
import { mirroredIssueId, parseIssueSync, readerBody } from './issueSyncCommand.ts';

const ID = '01a24ddb-9986-7400-8f85-9295f52a578b';
const body = `Items are added from the product page.\n\nPart of #3\nOrder: 1 of 2\n\n<!-- baton:issue=${ID} -->`;
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
    ...over,
  },
  repository: { full_name: 'acme/app' },
  sender,
});

describe('parseIssueSync', () => {
  it('turns closed, reopened and edited deliveries of a mirrored issue into commands', () => {
    const base = { issueId: ID, githubNumber: 7, repository: 'acme/app', by: 'github:ann' };
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

  it('ignores what is not a person acting on a mirrored issue', () => {
    expect(parseIssueSync(delivery('labeled')).kind).toBe('none');
    expect(parseIssueSync(delivery('closed', { state_reason: 'not_planned' }))).toMatchObject({
      kind: 'none',
      reason: 'closed as not planned',
    });
    expect(parseIssueSync(delivery('closed', { body: 'no marker' })).kind).toBe('none');
    expect(parseIssueSync(delivery('closed', { pull_request: { url: 'x' } })).kind).toBe('none');
    expect(parseIssueSync(delivery('edited', {}, { login: 'baton[bot]', type: 'Bot' }))).toMatchObject({
      kind: 'none',
      reason: "Baton's own change",
    });
    expect(parseIssueSync({ ...delivery('closed'), repository: undefined }).kind).toBe('none');
  });
});

describe('readerBody and mirroredIssueId', () => {
  it("drops Baton's footer and markers, keeps what people wrote", () => {
    expect(readerBody(body)).toBe('Items are added from the product page.');
    expect(readerBody('Order: 1 of 2 is a phrase here\n\nPart of #3')).toBe('Order: 1 of 2 is a phrase here');
    expect(readerBody(null)).toBe('');
    expect(mirroredIssueId(body)).toBe(ID);
    expect(mirroredIssueId('<!-- baton:issue=../etc -->')).toBeNull();
    expect(mirroredIssueId(42)).toBeNull();
  });
});
