import * as z from 'zod';
import { durationSchema } from './durationSchema.ts';
import { expressionSchema, templateSchema } from './expressionSchema.ts';
import { NAME_PATTERNS } from './namePatterns.ts';
import { strictObject } from './strictObject.ts';
import type { ApprovalStepSpec, WaitStepSpec, WorkflowStepSpec } from './types.ts';

type Approval = ApprovalStepSpec['approval'];

/** `approval: true`, `approval: "message"` or `{ message, timeout, default = reject, approvers }`. */
export const approvalSchema = z.union([
  z.literal(true).transform((): Approval => ({ default: 'reject' })),
  z.string().transform((message): Approval => ({ message, default: 'reject' })),
  strictObject({
    message: templateSchema.optional(),
    timeout: durationSchema.optional(),
    default: z.enum(['approve', 'reject']).default('reject'),
    approvers: z.array(z.string().min(1)).optional(),
  }).transform((raw): Approval => ({
    ...(raw.message === undefined ? {} : { message: raw.message }),
    ...(raw.timeout === undefined ? {} : { timeoutMs: raw.timeout }),
    default: raw.default,
    ...(raw.approvers === undefined ? {} : { approvers: raw.approvers }),
  })),
]);

/** `wait: 30s`, `wait: { duration: 30s }` or `wait: { until: "{{ … }}" }` (an ISO-8601 time). */
export const waitSchema = z.union([
  durationSchema.transform((durationMs): WaitStepSpec['wait'] => ({ durationMs })),
  strictObject({ duration: durationSchema.optional(), until: templateSchema.optional() }).transform(
    (raw, ctx): WaitStepSpec['wait'] => {
      if ((raw.duration === undefined) === (raw.until === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'wait needs exactly one of duration or until' });
      }
      return raw.duration === undefined ? { until: raw.until ?? '' } : { durationMs: raw.duration };
    },
  ),
]);

/**
 * `workflow: name` or `{ name, inputs, for_each, as }`. With `for_each`, `as` defaults to `item`.
 */
export const childWorkflowSchema = z.union([
  z
    .string()
    .min(1)
    .transform((name): WorkflowStepSpec['workflow'] => ({ name, inputs: {} })),
  strictObject({
    name: z.string().min(1),
    inputs: z.record(z.string(), z.unknown()).default({}),
    for_each: expressionSchema.optional(),
    as: z
      .string()
      .regex(NAME_PATTERNS.variable.re, { error: `must be a variable name: ${NAME_PATTERNS.variable.rule}` })
      .optional(),
  }).transform((raw, ctx): WorkflowStepSpec['workflow'] => {
    if (raw.as !== undefined && raw.for_each === undefined)
      ctx.addIssue({ code: 'custom', path: ['as'], message: 'only allowed with for_each' });
    return {
      name: raw.name,
      inputs: raw.inputs,
      ...(raw.for_each === undefined ? {} : { forEach: raw.for_each, as: raw.as ?? 'item' }),
    };
  }),
]);
