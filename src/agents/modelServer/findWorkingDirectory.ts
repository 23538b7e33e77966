/**
 * How each CLI tells the model its working directory (observed in their requests):
 * Claude Code `Primary working directory: /abs`, Codex `<cwd>/abs</cwd>`, Gemini CLI
 * `**Workspace Directories:**\n  - /abs` (older: `I'm currently working in the directory: /abs`).
 * A plain `Working directory: /abs` line works for hand-written prompts.
 */
const PATTERNS = [
  /Primary working directory: *(\/[^\n]*)/,
  /<cwd>(\/[^<]+)<\/cwd>/,
  /\*\*Workspace Directories:\*\*\s*\n\s*- *(\/[^\n]*)/,
  /currently working in the directory: *(\/[^\n]*)/,
  /Working directory: *(\/[^\n]*)/,
];

export function findWorkingDirectory(...texts: string[]): string | undefined {
  for (const re of PATTERNS)
    for (const t of texts) {
      const m = re.exec(t);
      const dir = m?.[1]?.trim();
      if (dir !== undefined && dir !== '') return dir;
    }
  return undefined;
}
