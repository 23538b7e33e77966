import * as z from 'zod';
import { strictObject } from './strictObject.ts';
import type { InputSpec, InputType } from './types.ts';

const INPUT_TYPES = ['string', 'number', 'boolean', 'choice', 'json'] as const satisfies readonly InputType[];

/**
 * One input: `{ type, required, default, description, options }`, or the shorthand `name: number`
 * (just the type). `type` defaults to `string`, `required` to false. Whether the default matches
 * the type and whether a choice has options is checked after the schema (`checkInputSpecs`).
 */
export const inputSpecSchema = z.union([
  z.enum(INPUT_TYPES).transform((type): InputSpec => ({ type, required: false })),
  strictObject({
    type: z.enum(INPUT_TYPES).default('string'),
    required: z.boolean().default(false),
    default: z.unknown().optional(),
    description: z.string().optional(),
    options: z.array(z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  }).transform((raw): InputSpec => ({
    type: raw.type,
    required: raw.required,
    ...(raw.default === undefined ? {} : { default: raw.default }),
    ...(raw.description === undefined ? {} : { description: raw.description }),
    ...(raw.options === undefined ? {} : { options: raw.options }),
  })),
]);
