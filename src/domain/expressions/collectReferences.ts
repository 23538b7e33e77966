import type { ASTNode } from '@marcbachmann/cel-js';

/** What an expression reads from its context; computed from the CEL AST. */
export interface ExpressionReferences {
  /** Top-level identifiers read (`inputs`, `steps`, `item`…); comprehension variables excluded. */
  roots: string[];
  /** `inputs.<name>` (also `inputs["name"]`) */
  inputs: string[];
  /** `steps.<id>` */
  steps: string[];
  /** `steps.<id>.outputs.<name>` */
  stepOutputs: Array<{ step: string; output: string }>;
  /** Global functions called (`success`, `size`, `has`…), receiver-style methods excluded. */
  calls: string[];
}

/** Macros binding their first argument as a loop variable (and the second one in the two-variable forms). */
const COMPREHENSIONS = new Set([
  'all',
  'exists',
  'exists_one',
  'map',
  'filter',
  'transformList',
  'transformMap',
  'transformMapEntry',
  'sortBy',
]);
const TWO_VARIABLE_FORMS = new Set([
  'all',
  'exists',
  'exists_one',
  'transformList',
  'transformMap',
  'transformMapEntry',
]);

type AnyNode = { op: string; args: unknown };

export function collectReferences(ast: ASTNode): ExpressionReferences {
  const roots = new Set<string>();
  const inputs = new Set<string>();
  const steps = new Set<string>();
  const outputs = new Map<string, { step: string; output: string }>();
  const calls = new Set<string>();

  const record = (path: string[]): void => {
    const [root, first, second, third] = path;
    if (root === undefined) return;
    roots.add(root);
    if (root === 'inputs' && first !== undefined) inputs.add(first);
    if (root === 'steps' && first !== undefined) {
      steps.add(first);
      if (second === 'outputs' && third !== undefined)
        outputs.set(`${first}\0${third}`, { step: first, output: third });
    }
  };

  const walk = (node: AnyNode, bound: ReadonlySet<string>): void => {
    switch (node.op) {
      case 'value':
        return;
      case 'id':
        if (!bound.has(node.args as string)) roots.add(node.args as string);
        return;
      case '.':
      case '.?':
      case '[]':
      case '[?]': {
        const path = staticPath(node);
        if (path !== undefined) {
          if (!bound.has(path[0] ?? '')) record(path);
          return;
        }
        break;
      }
      case 'call':
        calls.add((node.args as [string, unknown])[0]);
        break;
      case 'rcall': {
        const [name, receiver, args] = node.args as [string, AnyNode, AnyNode[]];
        const inner = new Set(bound);
        const isBind = name === 'bind' && receiver.op === 'id' && receiver.args === 'cel';
        if (!isBind) walk(receiver, bound);
        if ((COMPREHENSIONS.has(name) || isBind) && args[0]?.op === 'id') {
          inner.add(args[0].args as string);
          if (TWO_VARIABLE_FORMS.has(name) && args.length === 3 && args[1]?.op === 'id')
            inner.add(args[1].args as string);
          // cel.bind(x, init, body): `init` is evaluated outside the binding.
          args.forEach((arg, i) => {
            if (arg.op === 'id' && inner.has(arg.args as string) && !bound.has(arg.args as string)) return;
            walk(arg, isBind && i === 1 ? bound : inner);
          });
          return;
        }
        for (const arg of args) walk(arg, bound);
        return;
      }
      default:
        break;
    }
    for (const child of childNodes(node.args)) walk(child, bound);
  };

  walk(ast, new Set());
  return {
    roots: [...roots],
    inputs: [...inputs],
    steps: [...steps],
    stepOutputs: [...outputs.values()],
    calls: [...calls],
  };
}

/** `a.b["c"].?d` → ['a', 'b', 'c', 'd']; undefined when a segment is computed. */
function staticPath(node: AnyNode): string[] | undefined {
  if (node.op === 'id') return [node.args as string];
  if (node.op === '.' || node.op === '.?') {
    const [target, key] = node.args as [AnyNode, string];
    const base = staticPath(target);
    return base === undefined ? undefined : [...base, key];
  }
  if (node.op === '[]' || node.op === '[?]') {
    const [target, index] = node.args as [AnyNode, AnyNode];
    if (index.op !== 'value' || typeof index.args !== 'string') return undefined;
    const base = staticPath(target);
    return base === undefined ? undefined : [...base, index.args];
  }
  return undefined;
}

function childNodes(args: unknown): AnyNode[] {
  if (isNode(args)) return [args];
  if (!Array.isArray(args)) return [];
  return args.flatMap((a) => childNodes(a));
}

function isNode(value: unknown): value is AnyNode {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'op' in value && 'args' in value
  );
}
