/** What Baton can tell from a failed git command's stderr. */
export interface GitFailureClass {
  /** transient (network, forge 5xx/429, a lock file of a concurrent git): retry with backoff */
  retryable: boolean;
  /** what the operator can do about it */
  hint?: string;
}

const TRANSIENT: readonly RegExp[] = [
  /could not resolve (?:host|proxy)/i,
  /failed to connect to/i,
  /connection (?:timed out|refused|reset)/i,
  /operation timed out/i,
  /the remote end hung up unexpectedly/i,
  /early eof/i,
  /rpc failed/i,
  /unexpected disconnect while reading sideband packet/i,
  /ssl_error_syscall|gnutls recv error|tls connection was non-properly terminated/i,
  /the requested url returned error: (?:429|5\d\d)/i,
  /remote: internal server error/i,
  /temporarily unavailable/i,
  /cannot lock ref/i,
  /unable to create '[^']*\.lock': file exists/i,
];

const HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /authentication failed|could not read (?:username|password)|terminal prompts disabled|returned error: 40[13]/i,
    'the remote refused the credentials: check the forge token or GitHub App installation for this repository',
  ],
  [
    /repository .* not found|does not appear to be a git repository|returned error: 404/i,
    'check the repository URL and that the credentials can see it',
  ],
  [
    /stale info|\(fetch first\)|non-fast-forward|\[rejected\]/i,
    'the remote branch moved: fetch the mirror and rebase, or push with force-with-lease',
  ],
  [/please tell me who you are|empty ident/i, 'pass an author identity'],
  [/is already checked out at|already used by worktree/i, 'another worktree holds this branch'],
];

export function classifyGitFailure(stderr: string): GitFailureClass {
  const retryable = TRANSIENT.some((re) => re.test(stderr));
  const hint = HINTS.find(([re]) => re.test(stderr))?.[1];
  if (hint !== undefined) return { retryable, hint };
  return retryable ? { retryable, hint: 'a transient failure: retry with backoff' } : { retryable };
}
