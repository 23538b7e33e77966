import { scanTemplate } from './scanTemplate.ts';

/** The (trimmed) sources of every `{{ expr }}` in a template, in order. Throws on an unclosed `{{`. */
export function extractTemplateExpressions(template: string): string[] {
  const sources: string[] = [];
  for (const segment of scanTemplate(template))
    if (segment.kind === 'expression') sources.push(segment.source);
  return sources;
}
