import { z } from 'zod';

/**
 * The scenario format (YAML, API-neutral; examples in examples/scenarios/):
 *
 *     name: write-hello            # picked by `[scenario:write-hello]` in the prompt
 *     default: true                # …or when the prompt has no marker
 *     usage: { input_tokens: 100, output_tokens: 20 }   # per turn, unless the turn says
 *     delay_ms: 0                  # between streamed events
 *     turns:                       # turn N answers a request whose history holds N model turns
 *       - think: "plan"            # actions, in key order (one of each kind per turn) …
 *         say: "Writing it."
 *         write_file: { path: hello.txt, content: "hi\n" }
 *       - [ { shell: "ls" }, { shell: "pwd" } ]             # … or a list of actions
 *       - reply: [ { final: { ok: true } } ]                 # … or the long form
 *         usage: { input_tokens: 5, output_tokens: 1, cache_read_tokens: 2, reasoning_tokens: 1 }
 *       - error: { status: 429, retry_after: 2, times: 1 }   # fails the next reply turn's first attempt
 *       - error: { cut_after: 3, times: 1 }                  # streams it but drops the connection
 *
 * Actions: `say` (text), `think` (thinking / reasoning), `final` (text, or JSON for objects),
 * `write_file` and `shell` (mapped to each client's own tool by `nativeToolCall.ts`), `tool`
 * (`{name, input}` passed through as is; a string input is a freeform tool call).
 */
const count = z.number().int().nonnegative();

export const usageSchema = z.strictObject({
  input_tokens: count,
  output_tokens: count,
  cache_read_tokens: count.optional(),
  cache_write_tokens: count.optional(),
  reasoning_tokens: count.optional(),
});
export type Usage = z.infer<typeof usageSchema>;

const jsonValue = z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);

/** One action: an object with exactly one of these keys. */
export const actionSchema = z
  .strictObject({
    say: z.string().optional(),
    think: z.string().optional(),
    final: jsonValue.optional(),
    write_file: z.strictObject({ path: z.string().min(1), content: z.string() }).optional(),
    shell: z.string().min(1).optional(),
    tool: z
      .strictObject({
        name: z.string().min(1),
        input: z.union([z.record(z.string(), z.unknown()), z.string()]).default({}),
      })
      .optional(),
  })
  .refine((a) => Object.keys(a).length === 1, {
    message: 'an action has exactly one of: say, think, final, write_file, shell, tool',
  });
export type Action = z.infer<typeof actionSchema>;
export const ACTION_KEYS = ['say', 'think', 'final', 'write_file', 'shell', 'tool'] as const;

export const injectedErrorSchema = z
  .strictObject({
    /** answer this HTTP status instead of a reply */
    status: z.number().int().min(400).max(599).optional(),
    message: z.string().optional(),
    /** seconds: sets retry-after, anthropic-ratelimit-*-reset, x-ratelimit-reset-*, Gemini RetryInfo */
    retry_after: z.number().nonnegative().optional(),
    /** instead of an HTTP error: start streaming the next reply and drop the connection after N events */
    cut_after: z.number().int().nonnegative().optional(),
    /** how many attempts fail this way before the conversation goes on (default: every attempt) */
    times: z.number().int().positive().optional(),
  })
  .refine((e) => (e.status === undefined) !== (e.cut_after === undefined), {
    message: 'an error has exactly one of `status` (an HTTP error) or `cut_after` (a stream cut)',
  })
  .refine((e) => e.retry_after === undefined || e.status !== undefined, {
    message: '`retry_after` only applies to an HTTP error (`status`)',
    path: ['retry_after'],
  });
export type InjectedError = z.infer<typeof injectedErrorSchema>;

const replyTurnSchema = z.strictObject({
  kind: z.literal('reply'),
  reply: z.array(actionSchema).min(1),
  usage: usageSchema.optional(),
  /** milliseconds between streamed events (a slow stream) */
  delay_ms: count.optional(),
});
const errorTurnSchema = z.strictObject({ kind: z.literal('error'), error: injectedErrorSchema });

/**
 * A turn is written as `{reply: [actions], usage?, delay_ms?}`, `{error: {...}}`, a list of actions,
 * or an object mixing action keys with `usage`/`delay_ms` (`{say: hi, write_file: {...}}`, in key order).
 */
const TURN_KEYS = ['usage', 'delay_ms'];

function normalizeTurn(
  raw: unknown,
  ctx: { addIssue(issue: { code: 'custom'; message: string }): void },
): unknown {
  if (Array.isArray(raw)) return { kind: 'reply', reply: raw };
  if (raw === null || typeof raw !== 'object') return raw;
  const obj = raw as Record<string, unknown>;
  if ('error' in obj) return { kind: 'error', ...obj };
  if ('reply' in obj) return { kind: 'reply', ...obj };
  const reply: Record<string, unknown>[] = [];
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if ((ACTION_KEYS as readonly string[]).includes(k)) reply.push({ [k]: v });
    else rest[k] = v;
  }
  const unknown = Object.keys(rest).filter((k) => !TURN_KEYS.includes(k));
  if (reply.length === 0 || unknown.length > 0) {
    const what =
      unknown.length > 0 ? `unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')}` : 'no action';
    ctx.addIssue({
      code: 'custom',
      message: `${what}: a turn has actions (${ACTION_KEYS.join(', ')}), \`reply: [actions]\` or \`error: {...}\`, plus optional ${TURN_KEYS.join(', ')}`,
    });
    return z.NEVER;
  }
  return { kind: 'reply', reply, ...rest };
}

export const turnSchema = z.preprocess(
  normalizeTurn,
  z.discriminatedUnion('kind', [errorTurnSchema, replyTurnSchema]),
);
export type ReplyTurn = z.infer<typeof replyTurnSchema>;
export type Turn = z.infer<typeof turnSchema>;

export const scenarioSchema = z.strictObject({
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9_.-]+$/,
      'use letters, digits, `_`, `.` and `-` (it goes in a `[scenario:NAME]` marker)',
    ),
  description: z.string().optional(),
  /** answers requests that carry no `[scenario:…]` marker */
  default: z.boolean().optional(),
  /** usage reported for turns that give none */
  usage: usageSchema.optional(),
  delay_ms: count.optional(),
  turns: z.array(turnSchema).min(1),
});
export type Scenario = z.infer<typeof scenarioSchema>;

/** A file holding several scenarios (`parseScenarios` also accepts a single scenario). */
export const scenarioListSchema = z.strictObject({ scenarios: z.array(scenarioSchema).min(1) });
