import { parseIssueSync, type IssueSyncCommand } from './issueSyncCommand.ts';
import { parseSlashCommand, type SlashCommand } from './slashCommand.ts';

/** What a verified GitHub delivery asks Baton to do besides writing its events. */
export type GithubFollowup =
  { kind: 'slash'; command: SlashCommand } | { kind: 'issue'; command: IssueSyncCommand };

/**
 * The follow-up of a delivery: a slash command in a new comment on a Baton pull request or issue,
 * or a person closing, reopening or editing a GitHub issue that mirrors a Baton issue; `refused`
 * for a command from someone who may not give it; `none` for everything else.
 */
export function followupOf(
  event: string,
  payload: Record<string, unknown>,
): GithubFollowup | { kind: 'refused'; reason: string } | { kind: 'none' } {
  if (event === 'issue_comment') {
    const parsed = parseSlashCommand(payload);
    if (parsed.kind === 'command') return { kind: 'slash', command: parsed.command };
    return parsed.kind === 'refused' ? parsed : { kind: 'none' };
  }
  if (event === 'issues') {
    const parsed = parseIssueSync(payload);
    return parsed.kind === 'command' ? { kind: 'issue', command: parsed.command } : { kind: 'none' };
  }
  return { kind: 'none' };
}
