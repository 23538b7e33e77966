import type { RunDetailsView } from '../backend/runView.ts';
import { elapsed, formatValue, runSymbol } from '../format.ts';
import type { Colors } from './colors.ts';
import { paintStep, statusWords } from './stepLine.ts';

/** The lines printed once a followed run is terminal. */
export function summaryLines(d: RunDetailsView, c: Colors): string[] {
  const run = d.run;
  const took = elapsed(run.startedAt ?? run.createdAt, run.finishedAt);
  const head = `${paintStep(c, run.status, runSymbol(run.status))} run ${run.id} ${statusWords(run.status)}${took ? ` in ${took}` : ''}`;
  const lines = [run.error && run.status !== 'succeeded' ? `${head}: ${run.error.message}` : head];
  for (const [k, v] of Object.entries(run.outputs ?? {})) lines.push(`  ${k}: ${formatValue(v)}`);
  const failed = [...d.steps].sort((a, b) => a.position - b.position).filter((s) => s.status === 'failed');
  for (const s of failed) {
    lines.push(`  step ${s.stepKey} failed${s.error ? `: ${s.error.message.split('\n')[0] ?? ''}` : ''}`);
    if (s.kind === 'run') lines.push(`    logs: baton logs ${run.id} ${s.stepKey}`);
  }
  if (run.status === 'failed' && failed.length)
    lines.push(`  retry: baton retry ${run.id} ${failed[0]?.stepKey ?? ''}`);
  return lines;
}
