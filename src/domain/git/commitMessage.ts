/** The summary used when an agent gave no usable text. */
export const DEFAULT_COMMIT_SUMMARY = 'Changes by Baton';

const MAX_SUMMARY = 100;

/**
 * A commit message from an agent's result: the first non-empty line is the summary (markdown
 * heading marks stripped, cut at 100 characters), the rest is the body (trimmed, trailing spaces
 * removed). Pass `summary` and `body` separately to skip the split.
 */
export function formatCommitMessage(input: string | { summary: string; body?: string }): string {
  let summary: string;
  let body: string;
  if (typeof input === 'string') {
    const lines = input.replace(/\r\n?/g, '\n').split('\n');
    const first = lines.findIndex((l) => l.trim() !== '');
    summary = first < 0 ? '' : (lines[first] ?? '');
    body = first < 0 ? '' : lines.slice(first + 1).join('\n');
  } else {
    summary = input.summary.replace(/\s+/g, ' ');
    body = (input.body ?? '').replace(/\r\n?/g, '\n');
  }
  summary = summary.replace(/^\s*#+\s*/, '').trim();
  if (summary.length > MAX_SUMMARY) summary = `${summary.slice(0, MAX_SUMMARY - 1).trimEnd()}…`;
  if (summary === '') summary = DEFAULT_COMMIT_SUMMARY;
  body = body
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
  return body === '' ? `${summary}\n` : `${summary}\n\n${body}\n`;
}
