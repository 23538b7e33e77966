import { lstat, readFile } from 'node:fs/promises';
import { type OutputLimits, type ParseOutputsResult, parseOutputs } from './parseOutputs.ts';

/**
 * Read and parse the `$BATON_OUTPUT` file after the step's processes are gone. A missing file
 * means no outputs; anything but a regular file, or a file far over the limits, is refused
 * without reading it.
 */
export async function readOutputFile(
  path: string,
  limits: OutputLimits,
  signal?: AbortSignal,
): Promise<ParseOutputsResult> {
  let size: number;
  try {
    const st = await lstat(path);
    if (!st.isFile())
      return {
        ok: false,
        code: 'step_failed',
        message: '$BATON_OUTPUT was replaced by something that is not a regular file',
      };
    size = st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, outputs: {} };
    throw e;
  }
  // Keys, `=` and delimiters add overhead, so allow some slack before refusing to read at all.
  const readLimit = limits.totalBytes * 2 + 64 * 1024;
  if (size > readLimit) {
    return {
      ok: false,
      code: 'output_too_large',
      message: `$BATON_OUTPUT is ${size} bytes, over the total limit of ${limits.totalBytes} bytes of outputs`,
    };
  }
  const text = await readFile(path, { encoding: 'utf8', ...(signal ? { signal } : {}) });
  return parseOutputs(text, limits);
}
