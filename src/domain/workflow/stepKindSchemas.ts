import * as z from 'zod';
import { ACTION_NAMES, isActionName } from './actionCatalog.ts';
import { didYouMeanSuffix } from '../didYouMean.ts';
import { durationSchema } from './durationSchema.ts';
import { expressionSchema, templateSchema } from './expressionSchema.ts';
import { NAME_PATTERNS } from './namePatterns.ts';
import { strictObject } from './strictObject.ts';
import type {
  AgentBudget,
  AgentCommit,
  AgentStepSpec,
  ApprovalStepSpec,
  WaitStepSpec,
  WorkflowStepSpec,
} from './types.ts';

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

/**
 * `wait: 30s`, `wait: { duration: 30s }`, `wait: { until: "{{ … }}" }` (an ISO-8601 time) or
 * `wait: { event: pr.merged, if: "event.payload.number == 3" }` (the first matching event; the step's
 * `timeout` bounds it).
 */
export const waitSchema = z.union([
  durationSchema.transform((durationMs): WaitStepSpec['wait'] => ({ durationMs })),
  strictObject({
    duration: durationSchema.optional(),
    until: templateSchema.optional(),
    event: z
      .string()
      .regex(/^(\*|[A-Za-z0-9_.-]+(\.\*)?)$/, {
        error: 'an event type (pr.merged), a prefix glob (github.pull_request.*) or *',
      })
      .optional(),
    if: expressionSchema.optional(),
  }).transform((raw, ctx): WaitStepSpec['wait'] => {
    const given = [raw.duration, raw.until, raw.event].filter((v) => v !== undefined).length;
    if (given !== 1) {
      ctx.addIssue({ code: 'custom', message: 'wait needs exactly one of duration, until or event' });
    }
    if (raw.if !== undefined && raw.event === undefined) {
      ctx.addIssue({ code: 'custom', path: ['if'], message: 'only allowed with event' });
    }
    if (raw.event !== undefined) return { event: raw.event, ...(raw.if === undefined ? {} : { if: raw.if }) };
    return raw.duration === undefined ? { until: raw.until ?? '' } : { durationMs: raw.duration };
  }),
]);

/** `uses: <action>`: one of the actions of the catalog (git and forge operations). */
export const usesSchema = z.string().refine(isActionName, {
  error: (issue) =>
    `unknown action ${JSON.stringify(issue.input)}${typeof issue.input === 'string' ? didYouMeanSuffix(issue.input, ACTION_NAMES) : ''}; actions: ${ACTION_NAMES.join(', ')}`,
});

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

type Agent = AgentStepSpec['agent'];

/** `commit: true` or `{ message, push = true, repository, on_failure = false }` of an agent step. */
const agentCommitSchema = z.union([
  z.literal(true).transform((): AgentCommit => ({ push: true, onFailure: false })),
  strictObject({
    message: z.string().min(1).optional(),
    push: z.boolean().default(true),
    repository: z.string().min(1).optional(),
    on_failure: z.boolean().default(false),
  }).transform((raw): AgentCommit => ({
    push: raw.push,
    onFailure: raw.on_failure,
    ...(raw.message === undefined ? {} : { message: raw.message }),
    ...(raw.repository === undefined ? {} : { repository: raw.repository }),
  })),
]);
const AGENT_RUNTIMES = [
  'claude-code',
  'codex',
  'gemini-cli',
  'openai-compatible',
  'jules',
  'cursor',
] as const;
const toolList = z.array(z.string().min(1).max(200)).max(200);

/**
 * `agent: "<prompt>"` or `{ role, runtime, model, prompt, max_turns, allowed_tools, disallowed_tools }`:
 * a role of the catalog run on an agent CLI, the prompt being its task.
 */
export const agentSchema = z.union([
  templateSchema.transform((prompt): Agent => ({ prompt })),
  strictObject({
    role: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, { error: 'a role name: lowercase letters, digits and dashes' })
      .optional(),
    runtime: z
      .enum(AGENT_RUNTIMES, {
        error: `one of ${AGENT_RUNTIMES.join(', ')} (a shell command is a run: step)`,
      })
      .optional(),
    endpoint: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, {
        error: 'the name of an endpoint in the config (agents.endpoints)',
      })
      .optional(),
    continue: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, { error: 'the id of an agent step whose session to continue' })
      .optional(),
    secrets: z
      .array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'the NAME of a server environment variable' }))
      .max(50)
      .optional(),
    source: strictObject({
      repository: z.string().min(1, { error: 'owner/repo or a GitHub URL' }),
      branch: z.string().min(1).optional(),
    }).optional(),
    model: z.string().min(1).max(200).optional(),
    prompt: z.string().min(1, { error: 'the prompt is empty' }),
    max_turns: z.number().int().min(1).max(1000).optional(),
    allowed_tools: toolList.optional(),
    disallowed_tools: toolList.optional(),
    commit: agentCommitSchema.optional(),
  }).transform((raw): Agent => ({
    prompt: raw.prompt,
    ...(raw.role === undefined ? {} : { role: raw.role }),
    ...(raw.runtime === undefined ? {} : { runtime: raw.runtime }),
    ...(raw.endpoint === undefined ? {} : { endpoint: raw.endpoint }),
    ...(raw.continue === undefined ? {} : { continue: raw.continue }),
    ...(raw.secrets === undefined ? {} : { secrets: raw.secrets }),
    ...(raw.source === undefined
      ? {}
      : {
          source: {
            repository: raw.source.repository,
            ...(raw.source.branch === undefined ? {} : { branch: raw.source.branch }),
          },
        }),
    ...(raw.model === undefined ? {} : { model: raw.model }),
    ...(raw.max_turns === undefined ? {} : { maxTurns: raw.max_turns }),
    ...(raw.allowed_tools === undefined ? {} : { allowedTools: raw.allowed_tools }),
    ...(raw.disallowed_tools === undefined ? {} : { disallowedTools: raw.disallowed_tools }),
    ...(raw.commit === undefined ? {} : { commit: raw.commit }),
  })),
]);

/** `budget: { tokens, usd, wall, turns, stall }` of an agent step. */
export const budgetSchema = strictObject({
  tokens: z.number().int().positive().optional(),
  usd: z.number().positive().optional(),
  wall: durationSchema.optional(),
  turns: z.number().int().positive().optional(),
  stall: durationSchema.optional(),
}).transform((raw): AgentBudget => ({
  ...(raw.tokens === undefined ? {} : { tokens: raw.tokens }),
  ...(raw.usd === undefined ? {} : { usd: raw.usd }),
  ...(raw.wall === undefined ? {} : { wallMs: raw.wall }),
  ...(raw.turns === undefined ? {} : { turns: raw.turns }),
  ...(raw.stall === undefined ? {} : { stallMs: raw.stall }),
}));
