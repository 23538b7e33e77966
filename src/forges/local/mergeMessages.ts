import type { PullRequestRecord } from './localForgeStore.ts';

/** GitHub's default messages: a merge commit names the pull request, a squash commit its title. */
export function defaultMergeMessage(pr: PullRequestRecord, method: 'merge' | 'squash'): string {
  if (method === 'merge') return `Merge pull request #${pr.number} from ${pr.head}\n\n${pr.title}\n`;
  const body = pr.body.trim();
  return `${pr.title} (#${pr.number})\n${body === '' ? '' : `\n${body}\n`}`;
}

/** A given message as git stores it (ends with one newline). */
export function normalizeMessage(message: string): string {
  const trimmed = message.replace(/\r\n?/g, '\n').trimEnd();
  return `${trimmed}\n`;
}
