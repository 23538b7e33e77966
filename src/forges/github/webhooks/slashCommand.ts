/** The commands a comment on a Baton pull request or issue can give (its first line). */
export const SLASH_COMMANDS = ['approve', 'reject', 'retry', 'cancel', 'pause', 'resume'] as const;
export type SlashCommandName = (typeof SLASH_COMMANDS)[number];

/** GitHub's `author_association` values of users with write access to the repository. */
const WRITERS: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export interface SlashCommand {
  name: SlashCommandName;
  /** the rest of the first line (a reason or comment) */
  argument: string;
  runId: string;
  /** `github:<login>` */
  by: string;
}

export type ParsedComment =
  { kind: 'none' } | { kind: 'refused'; reason: string } | { kind: 'command'; command: SlashCommand };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

/** The run a pull request or issue belongs to: the marker Baton writes in what it opens. */
export function runIdOf(body: unknown): string | null {
  if (typeof body !== 'string') return null;
  const m =
    /Opened by Baton \(run ([0-9a-f-]{36})[,)]/.exec(body) ?? /<!-- baton:run=([0-9a-f-]{36}) -->/.exec(body);
  return m?.[1] ?? null;
}

/**
 * A slash command in a new `issue_comment` (`/approve looks good`): only from users with write
 * access (author association OWNER, MEMBER or COLLABORATOR), only on a pull request or issue Baton
 * opened for a run.
 */
export function parseSlashCommand(payload: Obj): ParsedComment {
  if (payload['action'] !== 'created') return { kind: 'none' };
  const comment = obj(payload['comment']);
  const text = typeof comment?.['body'] === 'string' ? comment['body'].trim() : '';
  const m = /^\/([a-z]+)\b[ \t]*(.*)$/m.exec(text.split('\n')[0] ?? '');
  const name = m?.[1];
  if (!name || !(SLASH_COMMANDS as readonly string[]).includes(name)) return { kind: 'none' };
  const login = obj(comment?.['user'])?.['login'];
  const raw = comment?.['author_association'];
  const association = typeof raw === 'string' ? raw : 'NONE';
  if (!WRITERS.has(association))
    return {
      kind: 'refused',
      reason: `/${name} from ${typeof login === 'string' ? login : '?'} (${association}): only users with write access`,
    };
  const runId = runIdOf(obj(payload['issue'])?.['body']);
  if (runId === null)
    return { kind: 'refused', reason: `/${name}: this pull request or issue belongs to no Baton run` };
  return {
    kind: 'command',
    command: {
      name: name as SlashCommandName,
      argument: (m?.[2] ?? '').trim(),
      runId,
      by: `github:${typeof login === 'string' ? login : 'unknown'}`,
    },
  };
}
