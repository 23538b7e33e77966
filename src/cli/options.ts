import { InvalidArgumentError } from 'commander';

/** commander parser for integer options (`--priority -1`, `--limit 50`). */
export function parseInteger(value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim())) throw new InvalidArgumentError(`"${value}" is not an integer.`);
  return Number(value);
}

/** commander parser for integers ≥ 1. */
export function parsePositiveInteger(value: string): number {
  const n = parseInteger(value);
  if (n < 1) throw new InvalidArgumentError(`"${value}" must be 1 or more.`);
  return n;
}

/** commander parser for `true` / `false` (also yes/no, on/off, 1/0). */
export function parseBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new InvalidArgumentError(`"${value}" is not true or false.`);
}
