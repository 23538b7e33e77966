/** Compile-time exhaustiveness check for string unions: `default: return assertExhaustive(x)`. */
export function assertExhaustive(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
