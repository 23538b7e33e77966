import { BatonError } from '../errors.ts';

export type TemplateSegment =
  | { kind: 'text'; text: string }
  /** `source` is the trimmed expression; `start`/`end` are the offsets of `{{` and after `}}`. */
  | { kind: 'expression'; source: string; start: number; end: number };

/**
 * Splits a template into literal text and `{{ expr }}` parts. The closing `}}` is found by scanning
 * the CEL source: string literals (single, double, triple-quoted, raw `r"…"`, with escapes) are
 * skipped and `{`/`}` of map literals are balanced, so `{{ "}}" + x }}` and `{{ {"a": 1}.a }}` work.
 * There is no escape for a literal `{{`: write `{{ "{{" }}`. An unclosed `{{` is an error.
 */
export function scanTemplate(template: string): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  let cursor = 0;
  while (cursor < template.length) {
    const open = template.indexOf('{{', cursor);
    if (open === -1) break;
    if (open > cursor) segments.push({ kind: 'text', text: template.slice(cursor, open) });
    const close = findClose(template, open + 2);
    if (close === -1) {
      throw new BatonError(
        'invalid_expression',
        `unclosed "{{" at offset ${open} in template ${JSON.stringify(template)}`,
        {
          details: { template, offset: open },
        },
      );
    }
    segments.push({
      kind: 'expression',
      source: template.slice(open + 2, close).trim(),
      start: open,
      end: close + 2,
    });
    cursor = close + 2;
  }
  if (cursor < template.length) segments.push({ kind: 'text', text: template.slice(cursor) });
  return segments;
}

/** Index of the `}}` closing an expression that starts at `from`, or -1. */
function findClose(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      i = skipString(text, i);
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth > 0) depth--;
      else if (text[i + 1] === '}') return i;
    }
    i++;
  }
  return -1;
}

/** Returns the index just after the string literal whose opening quote is at `start`. */
function skipString(text: string, start: number): number {
  const quote = text[start] ?? '"';
  const raw = isRawPrefix(text, start);
  const triple = text.startsWith(quote.repeat(3), start);
  const closing = triple ? quote.repeat(3) : quote;
  let i = start + closing.length;
  while (i < text.length) {
    if (!raw && text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text.startsWith(closing, i)) return i + closing.length;
    if (!triple && text[i] === '\n') return i;
    i++;
  }
  return text.length;
}

/** `r"…"`, `R'…'`, `rb"…"`, `br"…"`: prefixes made of r/b letters not glued to an identifier. */
function isRawPrefix(text: string, quoteIndex: number): boolean {
  let i = quoteIndex - 1;
  let prefix = '';
  while (i >= 0 && /[rRbB]/.test(text[i] ?? '') && prefix.length < 2) {
    prefix = (text[i] ?? '') + prefix;
    i--;
  }
  if (prefix === '' || /[A-Za-z0-9_]/.test(text[i] ?? '')) return false;
  return /r/i.test(prefix);
}
