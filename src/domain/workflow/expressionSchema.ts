import * as z from 'zod';
import { singleTemplateExpression } from '../expressions/singleTemplateExpression.ts';

/**
 * A CEL expression field (`if`, `for_each`). A YAML boolean becomes `"true"`/`"false"` and a value
 * written as one template (`"{{ expr }}"`) is unwrapped, so the engine always gets a bare expression.
 * Whether it compiles is checked after the schema, with the references.
 */
export const expressionSchema = z.union([z.string(), z.boolean()]).transform((value) => {
  const text = String(value);
  return singleTemplateExpression(text) ?? text.trim();
});

/** A template field: strings as written; numbers and booleans (YAML scalars) become strings. */
export const templateSchema = z.union([z.string(), z.number(), z.boolean()]).transform(String);
