import { z } from 'zod';

/** The agent runtimes a role may default to (DESIGN §2). */
export const RUNTIMES = [
  'claude-code',
  'codex',
  'gemini-cli',
  'openai-compatible',
  'jules',
  'cursor',
  'shell',
] as const;
export type Runtime = (typeof RUNTIMES)[number];

export const roleNameSchema = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes, starting with a letter');

/**
 * The agent contract: what every role's final answer carries, plus the role's own fields (a plan, a
 * review verdict…). Field names of the final JSON answer; `required` ones must be present.
 */
export const outputContractSchema = z
  .object({
    fields: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be an identifier'),
        z
          .object({
            type: z.enum(['string', 'string[]', 'object', 'object[]', 'enum']),
            values: z.array(z.string().min(1)).min(1).optional().describe('for enum'),
            required: z.boolean().default(false),
            description: z.string().max(500).optional(),
          })
          .strict()
          .refine((f) => (f.type === 'enum') === (f.values !== undefined), {
            message: 'values are given exactly when type is enum',
          }),
      )
      .default({}),
  })
  .strict();

/** A role of the catalog: how an agent step with `role: <name>` is prompted and run. */
export const roleSpecSchema = z
  .object({
    title: z.string().min(1).max(120),
    description: z.string().max(2000).default(''),
    /** a template (`{{ task }}`, `{{ inputs.x }}`, `{{ context }}`…) rendered when the step starts */
    prompt: z.string().min(1).max(100_000),
    /** repository files or globs, and other context the step is given (recent run logs, decisions) */
    context_packs: z
      .array(
        z.union([
          z.object({ files: z.array(z.string().min(1).max(500)).min(1) }).strict(),
          z.object({ recent_runs: z.number().int().min(1).max(50) }).strict(),
          z.object({ decisions: z.string().min(1).max(500) }).strict(),
        ]),
      )
      .max(50)
      .default([]),
    allowed_tools: z.array(z.string().min(1).max(200)).max(200).optional(),
    disallowed_tools: z.array(z.string().min(1).max(200)).max(200).default([]),
    constraints: z.array(z.string().min(1).max(1000)).max(100).default([]),
    runtime: z.enum(RUNTIMES).default('claude-code'),
    model: z.string().min(1).max(200).optional(),
    /** a named endpoint of the server's config (agents.endpoints): where the role's model is */
    endpoint: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'the name of an endpoint in the config (agents.endpoints)')
      .optional(),
    output: outputContractSchema.default({ fields: {} }),
  })
  .strict();

export type RoleSpec = z.infer<typeof roleSpecSchema>;
export type RoleSpecInput = z.input<typeof roleSpecSchema>;
