import { LineCounter, parseDocument } from 'yaml';
import type { PathSegment } from './formatIssuePath.ts';
import { locateInYaml, type SourcePosition } from './locateInYaml.ts';

/** Line and column of the value at `path` in a YAML/JSON source (the nearest existing node), if any. */
export function locateSourcePath(source: string, path: PathSegment[]): SourcePosition | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  return locateInYaml(doc, lineCounter, { path, message: '' });
}
