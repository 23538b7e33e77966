import type { RunDetailsView } from '../backend/runView.ts';
import type { LogTail } from './logTail.ts';

/** How `baton run` / following shows a run while it progresses. */
export interface ProgressView {
  update(d: RunDetailsView, tail: LogTail | null): void;
  /** following ended (the run is terminal, or the user stopped following): leave the last state on screen */
  close(d: RunDetailsView | null): void;
}

/** A writable terminal or pipe. */
export interface Out {
  write(s: string | Uint8Array): unknown;
}
