import type { IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

const LIMIT = 64 * 1024 * 1024;

export class BodyError extends Error {}

function decode(buf: Buffer, encoding: string | undefined): Buffer {
  switch (encoding ?? 'identity') {
    case 'identity':
      return buf;
    case 'gzip':
      return gunzipSync(buf);
    case 'deflate':
      return inflateSync(buf);
    case 'br':
      return brotliDecompressSync(buf);
    default:
      throw new BodyError(
        `unsupported content-encoding "${encoding}": send the body uncompressed, gzip, deflate or br`,
      );
  }
}

/** Reads the whole request body (at most 64 MiB), decompressed; '' when there is none. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMIT) throw new BodyError(`request body over ${LIMIT} bytes`);
    chunks.push(chunk);
  }
  return decode(Buffer.concat(chunks), req.headers['content-encoding']).toString('utf8');
}

/** Parses a JSON object body, naming what is wrong. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new BodyError(`request body is not JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new BodyError('request body must be a JSON object');
  return v as Record<string, unknown>;
}
