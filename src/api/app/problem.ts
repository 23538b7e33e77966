import { z } from 'zod';
import { assertExhaustive } from '../../domain/assertExhaustive.ts';
import type { ErrorCode } from '../../domain/errors.ts';

/**
 * The one place where error codes become HTTP status codes (DESIGN: only the HTTP layer does this).
 * - 400: the request itself is malformed (`invalid_input`, schema validation of body/query/params)
 * - 422: a well-formed request whose workflow source or expression is semantically invalid
 * - 404 / 409 / 503 as named; everything else is a 500 whose detail never carries internals
 */
export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case 'invalid_input':
      return 400;
    case 'invalid_workflow':
    case 'invalid_expression':
      return 422;
    case 'not_found':
      return 404;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'rate_limited':
      return 429;
    case 'conflict':
    case 'invalid_state':
    case 'idempotency_mismatch':
      return 409;
    case 'database_unavailable':
      return 503;
    case 'lease_lost':
    case 'step_failed':
    case 'step_timeout':
    case 'output_too_large':
    case 'approval_rejected':
    case 'cancelled':
    case 'config_invalid':
    case 'internal':
      return 500;
    default:
      return assertExhaustive(code, 'error code');
  }
}

/** Codes the HTTP layer adds to the engine's (routing and protocol errors). */
export type ApiErrorCode = ErrorCode | 'method_not_allowed' | 'unsupported_media_type' | 'payload_too_large';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export const problemSchema = z
  .object({
    type: z.string().describe('a URI naming the problem type: `urn:baton:problem:<code>`'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('stable machine-readable code'),
    field: z.string().optional().describe('the failing field or path'),
    hint: z.string().optional().describe('what the caller can do about it'),
    instance: z.string().describe('the request path'),
    request_id: z.string(),
    errors: z
      .array(
        z.object({
          file: z.string().optional(),
          line: z.number().int().optional(),
          column: z.number().int().optional(),
          path: z.string(),
          message: z.string(),
        }),
      )
      .optional()
      .describe('every problem of an invalid workflow source'),
  })
  .describe('RFC 9457 problem details');
export type Problem = z.infer<typeof problemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function makeProblem(p: {
  status: number;
  code: ApiErrorCode;
  detail: string;
  instance: string;
  requestId: string;
  field?: string | undefined;
  hint?: string | undefined;
  errors?: Problem['errors'];
}): Problem {
  return {
    type: `urn:baton:problem:${p.code}`,
    title: TITLES[p.status] ?? (p.status >= 500 ? 'Server Error' : 'Client Error'),
    status: p.status,
    detail: p.detail,
    code: p.code,
    ...(p.field === undefined ? {} : { field: p.field }),
    ...(p.hint === undefined ? {} : { hint: p.hint }),
    instance: p.instance,
    request_id: p.requestId,
    ...(p.errors === undefined ? {} : { errors: p.errors }),
  };
}

/** Standard error responses of a route, for the OpenAPI document. */
export function problemResponses<const S extends readonly number[]>(
  ...statuses: S
): Record<S[number], typeof problemSchema> {
  return Object.fromEntries(statuses.map((s) => [s, problemSchema])) as Record<
    S[number],
    typeof problemSchema
  >;
}
