/** What replaces a secret in commands, messages and stderr tails. */
export const REDACTED = '<redacted>';

/**
 * Remove credentials from text about a git command: the password of a URL's user info
 * (`https://x-access-token:tok@host` → `https://x-access-token:<redacted>@host`) and the value
 * of any `extraHeader` / `Authorization` header (`http.extraHeader=Authorization: Basic …`).
 */
export function redactGitText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/@:]*):[^\s/@]*@/gi, `$1:${REDACTED}@`)
    .replace(/(extraheader\s*=\s*)[^\n]*/gi, `$1${REDACTED}`)
    .replace(/(authorization\s*:\s*)[^\n]*/gi, `$1${REDACTED}`);
}
