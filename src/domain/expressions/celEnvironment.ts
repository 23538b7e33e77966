import { Environment } from '@marcbachmann/cel-js';

/** What the GitHub-style status functions see while a condition is being evaluated. */
export interface StatusFunctionState {
  allSucceeded: boolean;
  anyFailed: boolean;
  cancelled: boolean;
}

/** The status functions a condition may call; see `evaluateCondition`. */
export const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;

let currentStatus: StatusFunctionState | undefined;

/**
 * Runs `fn` (synchronous: CEL evaluation here never awaits) with the status functions bound to
 * `state`. Outside of it (plain expressions and templates) calling them is an error.
 */
export function withStatusFunctions<T>(state: StatusFunctionState, fn: () => T): T {
  const previous = currentStatus;
  currentStatus = state;
  try {
    return fn();
  } finally {
    currentStatus = previous;
  }
}

function status(name: string): StatusFunctionState {
  if (currentStatus === undefined) throw new Error(`${name}() is only available in step conditions (if:)`);
  return currentStatus;
}

function mixed(op: '+' | '-' | '*' | '/', a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}

/**
 * The one CEL environment Baton uses. Variables are undeclared (dyn) so any context key works;
 * list/map literals may mix types; optional access (`inputs.?x.orValue(1)`) is enabled.
 *
 * Numbers: CEL keeps `int` (BigInt) and `double` apart. JS integers from the context are passed as
 * `int` (see `toCelValue`), other numbers as `double`, and arithmetic mixing the two (`1.5 + 1`) is
 * registered here to give a `double`, as JS would. Int/int division truncates (`5 / 2 == 2`) as CEL
 * says; write `5.0 / 2` or `double(x) / 2` for a fraction. `==` between int and double compares values.
 */
function createCelEnvironment(): Environment {
  const env = new Environment({
    unlistedVariablesAreDyn: true,
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
  });
  for (const op of ['+', '-', '*', '/'] as const) {
    env.registerOperator(`double ${op} int`, (a: number, b: bigint) => mixed(op, a, Number(b)));
    env.registerOperator(`int ${op} double`, (a: bigint, b: number) => mixed(op, Number(a), b));
  }
  // Registers both directions (and `!=`).
  env.registerOperator('double == int', (a: number, b: bigint) => a === Number(b));
  env.registerFunction('success(): bool', () => {
    const s = status('success');
    return s.allSucceeded && !s.cancelled;
  });
  env.registerFunction('failure(): bool', () => {
    const s = status('failure');
    return s.anyFailed && !s.cancelled;
  });
  env.registerFunction('always(): bool', () => {
    status('always');
    return true;
  });
  env.registerFunction('cancelled(): bool', () => status('cancelled').cancelled);
  return env;
}

export const celEnvironment: Environment = createCelEnvironment();
