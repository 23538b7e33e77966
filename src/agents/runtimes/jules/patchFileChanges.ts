import type { FileChangeData } from '../../transcript/transcriptEvent.ts';

interface FilePart {
  old?: string;
  new?: string;
  change: FileChangeData['change'];
  /** its `+++` line was read: a later `---` starts the next file */
  headerDone: boolean;
  lines: string[];
}

const diffPath = (line: string): string => (line.slice(4).split('\t')[0] ?? '').replace(/^[ab]\//, '');

/** One `file_change` per file of a unified diff (git style or plain `---`/`+++`), with its text. */
export function patchFileChanges(patch: string): FileChangeData[] {
  const out: FileChangeData[] = [];
  let cur: FilePart | null = null;
  const flush = (): void => {
    const path = cur?.change === 'delete' ? cur.old : (cur?.new ?? cur?.old);
    if (cur && path !== undefined) {
      out.push({ kind: 'file_change', path, change: cur.change, diff: cur.lines.join('\n') });
    }
    cur = null;
  };
  for (const line of patch.split('\n')) {
    const git = /^diff --git a\/(.+) b\/(.+)$/.exec(line);
    if (git) {
      flush();
      cur = { old: git[1], new: git[2], change: 'modify', headerDone: false, lines: [] };
    } else if (line.startsWith('--- ') && (cur === null || cur.headerDone)) {
      flush();
      cur = { change: 'modify', headerDone: false, lines: [] };
    }
    if (cur === null) continue;
    cur.lines.push(line);
    if (line.startsWith('new file mode')) cur.change = 'add';
    else if (line.startsWith('deleted file mode')) cur.change = 'delete';
    else if (line.startsWith('--- ') && !cur.headerDone) {
      if (line.startsWith('--- /dev/null')) cur.change = 'add';
      else cur.old = diffPath(line);
    } else if (line.startsWith('+++ ') && !cur.headerDone) {
      cur.headerDone = true;
      if (line.startsWith('+++ /dev/null')) cur.change = 'delete';
      else cur.new = diffPath(line);
    }
  }
  flush();
  return out;
}
