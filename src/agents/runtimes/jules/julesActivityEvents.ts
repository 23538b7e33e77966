import type { EventDraft } from '../../transcript/transcriptEvent.ts';
import type { JulesActivity, JulesArtifact } from './julesTypes.ts';
import { patchFileChanges } from './patchFileChanges.ts';

function artifactEvents(a: JulesArtifact): EventDraft[] {
  const out: EventDraft[] = [];
  if (a.bashOutput) {
    const b = a.bashOutput;
    out.push({
      kind: 'command',
      command: b.command ?? '',
      exit_code: b.exitCode ?? null,
      output: b.output ?? '',
    });
  }
  const patch = a.changeSet?.gitPatch?.unidiffPatch;
  if (patch) out.push(...patchFileChanges(patch));
  return out;
}

/**
 * One Jules activity as transcript drafts: agent/user messages, the plan, progress as status, the
 * artifacts (bash output → command, change set → one file_change per file), completion → result.
 */
export function julesActivityEvents(a: JulesActivity): EventDraft[] {
  const out: EventDraft[] = [];
  const text = a.agentMessaged?.agentMessage;
  if (text !== undefined) out.push({ kind: 'message', role: 'assistant', text, delta: false });
  const user = a.userMessaged?.userMessage;
  if (user !== undefined) out.push({ kind: 'message', role: 'user', text: user, delta: false });
  const steps = a.planGenerated?.plan?.steps;
  if (steps)
    out.push({
      kind: 'plan',
      items: steps.map((s) => ({ text: s.title ?? s.description ?? '', done: false })),
    });
  if (a.planApproved)
    out.push({ kind: 'status', status: 'plan_approved', detail: a.planApproved.planId ?? '' });
  const p = a.progressUpdated;
  if (p)
    out.push({
      kind: 'status',
      status: 'progress',
      detail: [p.title, p.description].filter(Boolean).join(': '),
    });
  for (const artifact of a.artifacts ?? []) out.push(...artifactEvents(artifact));
  if (a.sessionFailed) {
    const reason = a.sessionFailed.reason ?? 'Jules reported the session failed';
    out.push({ kind: 'result', status: 'error', error: reason });
  }
  if (out.length === 0 && !a.sessionCompleted)
    out.push({ kind: 'unknown', reason: 'activity of an unknown kind' });
  return out;
}
