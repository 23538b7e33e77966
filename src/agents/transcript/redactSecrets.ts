/** What a redacted secret becomes. */
export const REDACTED = '***';

/** Shorter given secrets are ignored: replacing them would wreck the text and hide nothing. */
const MIN_SECRET_LENGTH = 4;

/** Key formats redacted even when nobody said they were secrets. */
const PATTERNS: readonly [RegExp, string][] = [
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\bbaton_(?:pat|ses)_[0-9A-Za-z]{8,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, REDACTED],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g, REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/-]{8,}=*/gi, `$1 ${REDACTED}`],
  [
    /\b((?:x-api-key|x-goog-api-key|api[_-]?key|authorization|access[_-]?token|client[_-]?secret|password)["']?\s*[:=]\s*["']?)(?!Bearer\s|\*\*\*)(?:Basic\s+|Token\s+)?[^\s"'&,;]{6,}/gi,
    `$1${REDACTED}`,
  ],
  [/\b([A-Z][A-Z0-9_]*(?:API_KEY|TOKEN|SECRET|PASSWORD))=(?!\*\*\*)[^\s'"]{6,}/g, `$1=${REDACTED}`],
];

/**
 * Replaces each given secret value (also in its JSON-escaped form) and common key formats — `sk-…`,
 * `baton_pat_…`, `AIza…`, GitHub and AWS keys, bearer tokens, `x-api-key: …`, `FOO_TOKEN=…` — by `***`.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  return redactWith(text, usableSecrets(secrets));
}

function redactWith(text: string, usable: readonly string[]): string {
  if (text.length < 6 && usable.every((s) => s.length > text.length)) return text; // nothing fits
  let out = text;
  for (const secret of usable) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of a JSON-like value with every string redacted (object keys are left alone). */
export function redactValue<T>(value: T, secrets: readonly string[] = []): T {
  return redactAny(value, usableSecrets(secrets)) as T;
}

function redactAny(value: unknown, usable: readonly string[]): unknown {
  if (typeof value === 'string') return redactWith(value, usable);
  if (Array.isArray(value)) return value.map((v) => redactAny(v, usable));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactAny(v, usable);
    return out;
  }
  return value;
}

/** Given secrets, longest first, with their JSON-escaped forms when those differ. */
function usableSecrets(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    all.add(s);
    all.add(JSON.stringify(s).slice(1, -1));
  }
  return [...all].sort((a, b) => b.length - a.length);
}
