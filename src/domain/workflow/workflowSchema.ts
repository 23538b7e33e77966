import * as z from 'zod';
import { durationSchema } from './durationSchema.ts';
import { templateSchema } from './expressionSchema.ts';
import { inputSpecSchema } from './inputSpecSchema.ts';
import { NAME_PATTERNS } from './namePatterns.ts';
import { retrySchema } from './retrySchema.ts';
import { stepSchema } from './stepSchema.ts';
import { strictObject } from './strictObject.ts';
import { triggerSchema } from './triggerSchema.ts';
import type { WorkflowDefinition } from './types.ts';

const concurrencySchema = z.union([
  z
    .string()
    .min(1)
    .transform((key) => ({ key, limit: 1 })),
  strictObject({ key: templateSchema, limit: z.int().min(1).default(1) }),
]);

const defaultsSchema = strictObject({
  timeout: durationSchema.optional(),
  retry: retrySchema.optional(),
  shell: z.string().min(1).optional(),
  working_directory: templateSchema.optional(),
});

/**
 * The schema of a workflow file (GitHub Actions style, snake_case), producing the normalised
 * `WorkflowDefinition`. Cross-field rules (needs, cycles, goto, expressions, input defaults) are
 * checked afterwards by `checkWorkflowSemantics`. Triggers default to `[manual]`.
 */
export const workflowSchema = strictObject({
  name: z
    .string()
    .max(100)
    .regex(NAME_PATTERNS.workflow.re, { error: `invalid workflow name: ${NAME_PATTERNS.workflow.rule}` }),
  description: z.string().optional(),
  inputs: z
    .record(
      z.string().regex(NAME_PATTERNS.input.re, { error: `invalid input name: ${NAME_PATTERNS.input.rule}` }),
      inputSpecSchema,
    )
    .default({}),
  triggers: z.array(triggerSchema).default(() => [{ type: 'manual' as const }]),
  concurrency: concurrencySchema.optional(),
  priority: z.int().default(0),
  env: z
    .record(
      z.string().regex(NAME_PATTERNS.env.re, { error: `invalid variable name: ${NAME_PATTERNS.env.rule}` }),
      templateSchema,
    )
    .default({}),
  outputs: z
    .record(
      z
        .string()
        .regex(NAME_PATTERNS.output.re, { error: `invalid output name: ${NAME_PATTERNS.output.rule}` }),
      templateSchema,
    )
    .default({}),
  defaults: defaultsSchema.default({}),
  budget: strictObject({
    tokens: z.number().int().positive().optional(),
    usd: z.number().positive().optional(),
  }).optional(),
  steps: z.array(stepSchema).min(1),
}).transform((raw): WorkflowDefinition => ({
  name: raw.name,
  ...(raw.description === undefined ? {} : { description: raw.description }),
  inputs: raw.inputs,
  triggers: raw.triggers,
  ...(raw.concurrency === undefined ? {} : { concurrency: raw.concurrency }),
  priority: raw.priority,
  env: raw.env,
  outputs: raw.outputs,
  defaults: {
    ...(raw.defaults.timeout === undefined ? {} : { timeoutMs: raw.defaults.timeout }),
    ...(raw.defaults.retry === undefined ? {} : { retry: raw.defaults.retry }),
    ...(raw.defaults.shell === undefined ? {} : { shell: raw.defaults.shell }),
    ...(raw.defaults.working_directory === undefined
      ? {}
      : { workingDirectory: raw.defaults.working_directory }),
  },
  ...(raw.budget === undefined
    ? {}
    : {
        budget: {
          ...(raw.budget.tokens === undefined ? {} : { tokens: raw.budget.tokens }),
          ...(raw.budget.usd === undefined ? {} : { usd: raw.budget.usd }),
        },
      }),
  steps: raw.steps,
}));
