import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { checkStepGraph } from './checkStepGraph.ts';
import { checkWorkflowSemantics } from './checkWorkflowSemantics.ts';
import type { WorkflowIssue } from './formatWorkflowIssue.ts';
import { formatIssuePath, type PathIssue } from './formatIssuePath.ts';
import { locateInYaml } from './locateInYaml.ts';
import { describeValue, mapZodIssues } from './mapZodIssues.ts';
import { rawStepGraph } from './rawStepGraph.ts';
import { stepAncestors } from './stepAncestors.ts';
import type { WorkflowDefinition } from './types.ts';
import { workflowSchema } from './workflowSchema.ts';

const MAX_SYNTAX_ERRORS = 3;

export type ParseResult =
  | { ok: true; workflow: WorkflowDefinition; warnings: WorkflowIssue[] }
  | { ok: false; errors: WorkflowIssue[] };

export interface ParseWorkflowOptions {
  /** shown in issues (`examples/x.yaml:12:7: …`) */
  file?: string;
  /** JSON is parsed as YAML 1.2 (a superset), so both get line numbers; the option is informational */
  format?: 'yaml' | 'json';
}

/**
 * Parses a workflow file (YAML or JSON) into a validated `WorkflowDefinition`. Every problem is
 * reported (not only the first), each with the path in the file and its line and column: YAML
 * syntax errors, schema errors (unknown keys with suggestions, wrong types), then semantic errors
 * (needs, cycles, goto, expressions, inputs). Expression and input checks need a schema-valid file;
 * the step graph (needs, cycles, goto) is checked in any case. Errors are sorted in file order.
 */
export function parseWorkflow(source: string, opts: ParseWorkflowOptions = {}): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const file = opts.file === undefined ? {} : { file: opts.file };
  if (doc.errors.length > 0) {
    // one YAML mistake cascades into dozens of token errors: the first few say what is wrong
    const shown = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => yamlIssue(e, file));
    const more = doc.errors.length - shown.length;
    if (more > 0)
      shown.push({
        ...file,
        path: '',
        message: `…and ${more} more syntax error(s) caused by the ones above`,
      });
    return { ok: false, errors: shown };
  }
  const locate = (issue: PathIssue): WorkflowIssue => ({
    ...file,
    ...locateInYaml(doc, lineCounter, issue),
    path: formatIssuePath(issue.path),
    message: issue.message,
  });
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, errors: [locate({ path: [], message: (e as Error).message })] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      errors: [
        locate({
          path: [],
          message: `a workflow must be a map with at least name and steps, got ${describeValue(raw)}`,
        }),
      ],
    };
  }
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) {
    const graph = rawStepGraph(raw);
    const graphIssues = checkStepGraph(graph, stepAncestors(graph));
    return {
      ok: false,
      errors: sortByPosition(dedupe([...mapZodIssues(parsed.error.issues, raw), ...graphIssues]).map(locate)),
    };
  }
  const { errors, warnings } = checkWorkflowSemantics(parsed.data);
  const yamlWarnings = doc.warnings.map((w) => yamlIssue(w, file));
  if (errors.length > 0) return { ok: false, errors: sortByPosition(dedupe(errors).map(locate)) };
  return { ok: true, workflow: parsed.data, warnings: [...yamlWarnings, ...warnings.map(locate)] };
}

/** A YAML parser error or warning, without the source excerpt the yaml package appends. */
function yamlIssue(e: YAMLError, file: { file?: string }): WorkflowIssue {
  return {
    ...file,
    ...(e.linePos === undefined ? {} : { line: e.linePos[0].line, column: e.linePos[0].col }),
    path: '',
    message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
  };
}

/** File order (stable): issues without a line last. */
function sortByPosition(issues: WorkflowIssue[]): WorkflowIssue[] {
  const key = (i: WorkflowIssue): number => (i.line ?? Number.MAX_SAFE_INTEGER) * 100_000 + (i.column ?? 0);
  return issues
    .map((issue, n) => ({ issue, n }))
    .sort((a, b) => key(a.issue) - key(b.issue) || a.n - b.n)
    .map(({ issue }) => issue);
}

function dedupe(issues: PathIssue[]): PathIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${formatIssuePath(issue.path)}\0${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
