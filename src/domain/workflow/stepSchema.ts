import * as z from 'zod';
import { durationSchema } from './durationSchema.ts';
import { expressionSchema, templateSchema } from './expressionSchema.ts';
import { NAME_PATTERNS } from './namePatterns.ts';
import { retrySchema } from './retrySchema.ts';
import { routeSchema } from './routeSchema.ts';
import {
  agentSchema,
  approvalSchema,
  budgetSchema,
  childWorkflowSchema,
  usesSchema,
  waitSchema,
} from './stepKindSchemas.ts';
import { strictObject } from './strictObject.ts';
import type { StepSpec } from './types.ts';

/** Keys choosing a step's kind. */
export const STEP_KIND_KEYS = ['run', 'approval', 'wait', 'workflow', 'agent', 'uses'] as const;
const RESERVED_KINDS: Record<string, string> = {};
const RUN_ONLY_KEYS = ['shell'] as const;

const outputsSchema = z.union([
  z.array(
    z.string().regex(NAME_PATTERNS.output.re, { error: `invalid output name: ${NAME_PATTERNS.output.rule}` }),
  ),
  z
    .record(
      z
        .string()
        .regex(NAME_PATTERNS.output.re, { error: `invalid output name: ${NAME_PATTERNS.output.rule}` }),
      z.union([z.string(), z.null()]),
    )
    .transform((map) => Object.keys(map)),
]);

const stepObject = strictObject({
  id: z.string().regex(NAME_PATTERNS.step.re, { error: `invalid step id: ${NAME_PATTERNS.step.rule}` }),
  name: z.string().optional(),
  run: templateSchema.optional(),
  shell: z.string().min(1).optional(),
  working_directory: templateSchema.optional(),
  approval: approvalSchema.optional(),
  wait: waitSchema.optional(),
  workflow: childWorkflowSchema.optional(),
  agent: agentSchema.optional(),
  budget: budgetSchema.optional(),
  uses: usesSchema.optional(),
  with: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'a lowercase key' }), z.unknown()).optional(),
  needs: z.union([z.string().transform((id) => [id]), z.array(z.string())]).default([]),
  if: expressionSchema.optional(),
  retry: retrySchema.optional(),
  timeout: durationSchema.optional(),
  env: z
    .record(
      z.string().regex(NAME_PATTERNS.env.re, { error: `invalid variable name: ${NAME_PATTERNS.env.rule}` }),
      templateSchema,
    )
    .default({}),
  outputs: outputsSchema.default([]),
  on: z.array(routeSchema).default([]),
  continue_on_error: z.boolean().default(false),
});

/** Exactly one kind key; reserved kinds and run-only keys on other kinds are errors. */
function checkKind(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const given = STEP_KIND_KEYS.filter((key) => value[key] !== undefined);
  const reserved = given.filter((key) => RESERVED_KINDS[key] !== undefined);
  for (const key of reserved) {
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: `step kind "${key}" is not available yet (coming with the ${RESERVED_KINDS[key]} issue)`,
    });
  }
  const present = given.filter((key) => RESERVED_KINDS[key] === undefined);
  if (given.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: 'a step needs one of run, agent, uses, approval, wait or workflow',
    });
  } else if (present.length > 1) {
    const [first, ...others] = present;
    for (const key of others) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `a step has exactly one kind: "${first}" and "${key}" cannot be combined`,
      });
    }
  }
  if (present.length > 0 && present[0] !== 'run') {
    for (const key of RUN_ONLY_KEYS) {
      if (value[key] !== undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'only allowed on run steps' });
    }
  }
  if (present.length > 0 && present[0] !== 'run' && present[0] !== 'agent') {
    if (value['working_directory'] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['working_directory'],
        message: 'only allowed on run and agent steps',
      });
  }
  if (value['with'] !== undefined && present[0] !== 'uses') {
    ctx.addIssue({ code: 'custom', path: ['with'], message: 'only allowed on uses steps' });
  }
  if (value['budget'] !== undefined && present[0] !== 'agent') {
    ctx.addIssue({ code: 'custom', path: ['budget'], message: 'only allowed on agent steps' });
  }
}

type RawStep = z.output<typeof stepObject>;

function toStepSpec(raw: RawStep): StepSpec {
  const base = {
    id: raw.id,
    ...(raw.name === undefined ? {} : { name: raw.name }),
    needs: [...new Set(raw.needs)],
    ...(raw.if === undefined ? {} : { if: raw.if }),
    ...(raw.retry === undefined ? {} : { retry: raw.retry }),
    ...(raw.timeout === undefined ? {} : { timeoutMs: raw.timeout }),
    env: raw.env,
    outputs: [...new Set(raw.outputs)],
    on: raw.on,
    continueOnError: raw.continue_on_error,
  };
  if (raw.approval !== undefined) return { ...base, kind: 'approval', approval: raw.approval };
  if (raw.wait !== undefined) return { ...base, kind: 'wait', wait: raw.wait };
  if (raw.workflow !== undefined) return { ...base, kind: 'workflow', workflow: raw.workflow };
  if (raw.uses !== undefined) return { ...base, kind: 'uses', uses: raw.uses, with: raw.with ?? {} };
  if (raw.agent !== undefined) {
    return {
      ...base,
      kind: 'agent',
      agent: raw.agent,
      budget: raw.budget ?? {},
      ...(raw.working_directory === undefined ? {} : { workingDirectory: raw.working_directory }),
    };
  }
  return {
    ...base,
    kind: 'run',
    run: raw.run ?? '',
    ...(raw.shell === undefined ? {} : { shell: raw.shell }),
    ...(raw.working_directory === undefined ? {} : { workingDirectory: raw.working_directory }),
  };
}

/** One step of the file, normalised to a `StepSpec` (snake_case keys → camelCase, durations → ms). */
export const stepSchema = stepObject
  .superRefine((value, ctx) => checkKind(value, ctx), {
    when: (payload) =>
      typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
  })
  .transform(toStepSpec);
