import { scanTemplate } from './scanTemplate.ts';

/**
 * The expression of a string that is exactly one `{{ expr }}` (surrounding whitespace allowed),
 * otherwise undefined. Used to keep a template's raw value type and to unwrap `if: "{{ expr }}"`.
 */
export function singleTemplateExpression(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{{') || !trimmed.endsWith('}}')) return undefined;
  let segments;
  try {
    segments = scanTemplate(trimmed);
  } catch {
    return undefined;
  }
  const [only] = segments;
  return segments.length === 1 && only?.kind === 'expression' ? only.source : undefined;
}
