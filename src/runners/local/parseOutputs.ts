export interface OutputLimits {
  /** largest single value, in UTF-8 bytes */
  valueBytes: number;
  /** largest sum of key + value bytes over all outputs */
  totalBytes: number;
}

export type ParseOutputsResult =
  | { ok: true; outputs: Record<string, string> }
  | { ok: false; code: 'output_too_large' | 'step_failed'; message: string };

const KEY = /^[A-Za-z0-9_.-]+$/;

/**
 * Parse a `$BATON_OUTPUT` file in GitHub Actions' format: `key=value` lines and heredoc blocks
 * `key<<DELIM` … `DELIM` (the value is the lines in between joined by `\n`). Empty lines are
 * ignored, CRLF is accepted, a later key overrides an earlier one.
 */
export function parseOutputs(text: string, limits: OutputLimits): ParseOutputsResult {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.at(-1) === '') lines.pop();
  const outputs = new Map<string, string>();
  const invalid = (lineNo: number, why: string): ParseOutputsResult => ({
    ok: false,
    code: 'step_failed',
    message: `invalid line ${lineNo} in $BATON_OUTPUT: ${why}`,
  });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const lineNo = i + 1;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const hd = line.indexOf('<<');
    let key: string;
    let value: string;
    if (eq >= 0 && (hd < 0 || eq < hd)) {
      key = line.slice(0, eq);
      value = line.slice(eq + 1);
    } else if (hd >= 0) {
      key = line.slice(0, hd);
      const delim = line.slice(hd + 2);
      if (delim === '') return invalid(lineNo, `heredoc for "${key}" has an empty delimiter`);
      const end = lines.indexOf(delim, i + 1);
      if (end < 0) return invalid(lineNo, `heredoc for "${key}" is not closed by a line "${delim}"`);
      value = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      return invalid(lineNo, 'expected key=value or key<<DELIMITER');
    }
    if (!KEY.test(key)) {
      return invalid(lineNo, `output name "${key}" must be letters, digits, "_", "-" or "."`);
    }
    const size = Buffer.byteLength(value, 'utf8');
    if (size > limits.valueBytes) {
      return {
        ok: false,
        code: 'output_too_large',
        message: `output "${key}" is ${size} bytes, over the limit of ${limits.valueBytes} bytes per value`,
      };
    }
    outputs.set(key, value);
  }
  let total = 0;
  for (const [key, value] of outputs) {
    total += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
    if (total > limits.totalBytes) {
      return {
        ok: false,
        code: 'output_too_large',
        message: `outputs exceed the total limit of ${limits.totalBytes} bytes at output "${key}" (${total} bytes so far)`,
      };
    }
  }
  return { ok: true, outputs: Object.fromEntries(outputs) };
}
