/** Where an inline review comment sits in a file's patch (GitHub's `position` counts lines below the first `@@`). */
export interface PatchSpot {
  position: number;
  line: number;
  side: 'LEFT' | 'RIGHT';
  /** the patch from the enclosing hunk header down to the commented line */
  diffHunk: string;
}

interface Row {
  kind: string;
  left: number | undefined;
  right: number | undefined;
  hunkStart: number;
}

function rows(patch: string): { lines: string[]; rows: Row[] } {
  const lines = patch.split('\n');
  const out: Row[] = [];
  let left = 0;
  let right = 0;
  let hunkStart = 0;
  lines.forEach((text, i) => {
    const kind = text.charAt(0);
    if (text.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
      left = Number(m?.[1] ?? 0);
      right = Number(m?.[2] ?? 0);
      hunkStart = i;
      out.push({ kind: '@', left: undefined, right: undefined, hunkStart });
    } else if (kind === '+') out.push({ kind, left: undefined, right: right++, hunkStart });
    else if (kind === '-') out.push({ kind, left: left++, right: undefined, hunkStart });
    else if (kind === ' ' || (text === '' && i < lines.length - 1))
      out.push({ kind: ' ', left: left++, right: right++, hunkStart });
    else out.push({ kind, left: undefined, right: undefined, hunkStart });
  });
  return { lines, rows: out };
}

/** Finds a comment target by `position`, or by `line` on a `side` (RIGHT by default); undefined when not in the diff. */
export function locateInPatch(
  patch: string,
  want: { position?: number; line?: number; side?: 'LEFT' | 'RIGHT' },
): PatchSpot | undefined {
  const { lines, rows: all } = rows(patch);
  let at: number;
  if (want.position !== undefined) at = want.position;
  else if (want.line !== undefined) {
    const side = want.side ?? 'RIGHT';
    at = all.findIndex((r) => (side === 'RIGHT' ? r.right : r.left) === want.line);
  } else return undefined;
  const row = all[at];
  if (at <= 0 || !row || row.kind === '@') return undefined;
  const side = want.side ?? (row.kind === '-' ? 'LEFT' : 'RIGHT');
  const line = side === 'LEFT' ? row.left : row.right;
  if (line === undefined) return undefined;
  return { position: at, line, side, diffHunk: lines.slice(row.hunkStart, at + 1).join('\n') };
}
