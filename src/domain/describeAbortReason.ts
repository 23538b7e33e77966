/** The abort reason as a word for messages: 'cancelled', 'lease_lost', an Error's message… */
export function describeAbortReason(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error) return reason.name === 'AbortError' ? 'aborted' : reason.message;
  if (reason === undefined || reason === null) return 'aborted';
  if (typeof reason === 'number' || typeof reason === 'boolean' || typeof reason === 'bigint')
    return String(reason);
  if (typeof reason === 'symbol') return reason.toString();
  try {
    return JSON.stringify(reason) ?? 'aborted';
  } catch {
    return 'aborted';
  }
}
