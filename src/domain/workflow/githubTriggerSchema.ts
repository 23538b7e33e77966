import * as z from 'zod';
import { expressionSchema } from './expressionSchema.ts';
import { githubEventProblem, splitGithubEvent } from './githubEvents.ts';
import { GITHUB_FILTER_EVENTS } from './githubTriggerFilter.ts';
import { strictObject } from './strictObject.ts';
import type { GithubTrigger } from './types.ts';

type PatternKind = 'label' | 'repository' | 'branch' | 'tag' | 'actor';

/** What each kind of pattern may contain besides `*`, `**` and `?` (a leading `!` excludes). */
const SHAPES: Record<PatternKind, { re: RegExp; rule: string }> = {
  label: { re: /^[^!]/, rule: 'labels cannot be excluded with "!" (use `if:`)' },
  repository: {
    re: /^[A-Za-z0-9_.*?-]+\/[A-Za-z0-9_.*?-]+$/,
    rule: 'expected "owner/name", e.g. "acme/demo" or "acme/*"',
  },
  // git check-ref-format: no space, ~ ^ : \ [ or "..", no leading or trailing "/"
  branch: { re: /^(?!\/)(?!.*\/$)(?!.*\.\.)[^\s~^:\\[]+$/, rule: 'not a valid git branch name or glob' },
  tag: { re: /^(?!\/)(?!.*\/$)(?!.*\.\.)[^\s~^:\\[]+$/, rule: 'not a valid git tag name or glob' },
  actor: {
    re: /^[A-Za-z0-9_*?[\]-]+$/,
    rule: 'expected a GitHub login such as "octocat" or "dependabot[bot]"',
  },
};

/** `null` when `pattern` is a valid glob of its kind; else why not. */
export function githubPatternProblem(kind: PatternKind, pattern: string): string | null {
  const quoted = JSON.stringify(pattern);
  const body = kind !== 'label' && pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (body.trim() === '') return `invalid ${kind} pattern ${quoted}: must not be empty`;
  if (body.includes('***')) return `invalid ${kind} pattern ${quoted}: "***" is not a glob (use "*" or "**")`;
  if ((kind === 'branch' || kind === 'tag') && /^refs\//.test(body))
    return `invalid ${kind} pattern ${quoted}: write the ${kind} name without "refs/${kind === 'branch' ? 'heads' : 'tags'}/"`;
  const shape = SHAPES[kind];
  return shape.re.test(body) ? null : `invalid ${kind} pattern ${quoted}: ${shape.rule}`;
}

/** One glob or a non-empty list of them, as a list. */
function patterns(kind: PatternKind) {
  const one = z
    .string()
    .max(200)
    .superRefine((value, ctx) => {
      const problem = githubPatternProblem(kind, value);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    });
  return z.union([one.transform((p) => [p]), z.array(one).min(1)]);
}

const githubEventSchema = z
  .string()
  .transform((value) => value.trim())
  .superRefine((spec, ctx) => {
    const problem = githubEventProblem(spec);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

const FILTER_KEYS = { labels: 'label', branches: 'branch', tags: 'tag', draft: 'draft' } as const;

const githubObject = strictObject({
  event: githubEventSchema,
  label: patterns('label').optional(),
  repository: patterns('repository').optional(),
  branch: patterns('branch').optional(),
  tag: patterns('tag').optional(),
  actor: patterns('actor').optional(),
  draft: z.boolean().optional(),
  if: expressionSchema.optional(),
  inputs: z.record(z.string(), z.unknown()).default({}),
  allow_self: z.boolean().default(false),
}).superRefine((value, ctx) => {
  if (typeof value.event !== 'string' || githubEventProblem(value.event) !== null) return;
  const { event } = splitGithubEvent(value.event);
  for (const [filter, key] of Object.entries(FILTER_KEYS)) {
    const events = GITHUB_FILTER_EVENTS[filter as keyof typeof FILTER_KEYS];
    if (value[key] === undefined || events.includes(event)) continue;
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: `GitHub's ${JSON.stringify(event)} events carry no ${key}, so this never matches (${key} filters: ${events.join(', ')})`,
    });
  }
});

/** `github: { event, label, repository, branch, tag, actor, draft, if, inputs, allow_self }` or `github: "<event>"`. */
export const githubTriggerSchema = z.union([
  githubEventSchema.transform((event): GithubTrigger => ({
    type: 'github',
    event,
    filter: {},
    inputs: {},
    allowSelf: false,
  })),
  githubObject.transform((g): GithubTrigger => ({
    type: 'github',
    event: g.event,
    filter: {
      ...(g.label === undefined ? {} : { labels: g.label }),
      ...(g.repository === undefined ? {} : { repositories: g.repository }),
      ...(g.branch === undefined ? {} : { branches: g.branch }),
      ...(g.tag === undefined ? {} : { tags: g.tag }),
      ...(g.actor === undefined ? {} : { actors: g.actor }),
      ...(g.draft === undefined ? {} : { draft: g.draft }),
    },
    ...(g.if === undefined ? {} : { if: g.if }),
    inputs: g.inputs,
    allowSelf: g.allow_self,
  })),
]);
