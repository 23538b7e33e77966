import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const text = (max: number) => z.string().min(1).max(max);

/** One finding of an external scanner. Fields not named here are kept as they are. */
export const findingSchema = z
  .object({
    id: text(200).optional(),
    severity: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(SEVERITIES)),
    title: text(500),
    repository: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name'),
    description: z.string().max(20_000).optional(),
    rule: text(200).optional(),
    cve: text(100).optional(),
    cwe: text(100).optional(),
    package: text(300).optional(),
    version: text(100).optional(),
    fixed_version: text(100).optional(),
    path: text(1000).optional(),
    line: z.number().int().min(1).optional(),
    ref: text(300).optional(),
    commit: text(100).optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
  })
  .loose();
export type Finding = z.infer<typeof findingSchema>;

/** `POST /webhooks/security`: `{scanner?, findings: [...]}` (1 to 1,000 findings). */
export const securityFindingsSchema = z
  .object({
    scanner: text(100).optional(),
    findings: z.array(findingSchema).min(1).max(1000),
  })
  .loose();
