import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PathIssue, PathSegment } from './formatIssuePath.ts';

export interface SourcePosition {
  line: number;
  column: number;
}

function keyName(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/**
 * Where an issue is in the source: the node at its path (its key for `atKey` issues). When the path
 * does not exist in the file (a missing key), the deepest existing node on the way is used.
 */
export function locateInYaml(
  doc: Document,
  lineCounter: LineCounter,
  issue: PathIssue,
): SourcePosition | undefined {
  const path: readonly PathSegment[] = issue.at ?? issue.path;
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyName(p.key) === String(segment));
      if (pair === undefined) break;
      if (last && issue.atKey === true) {
        offset = rangeStart(pair.key) ?? offset;
        break;
      }
      const valueOffset = rangeStart(pair.value);
      if (valueOffset === undefined) {
        offset = rangeStart(pair.key) ?? offset;
        break;
      }
      node = pair.value;
      offset = valueOffset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}
