import type { ModelRequest } from './ModelRequest.ts';
import { checkScenarioSet } from './parseScenarios.ts';
import type { InjectedError, ReplyTurn, Scenario } from './scenarioSchema.ts';

/** `[scenario:NAME]` anywhere in the user's messages picks the scenario (the first marker wins). */
export const SCENARIO_MARKER = /\[scenario:([A-Za-z0-9_.-]+)\]/;

/** What to answer to one request. */
export type Plan =
  | { kind: 'reply'; scenario: Scenario; turnIndex: number; turn: ReplyTurn; cutAfter?: number }
  | {
      kind: 'error';
      scenario: Scenario;
      turnIndex: number;
      status: number;
      message?: string;
      retryAfter?: number;
    }
  | { kind: 'exhausted'; scenario: Scenario; turnIndex: number }
  | { kind: 'unmatched'; message: string };

/** The errors injected before a reply turn, and that reply (absent after trailing errors). */
interface Step {
  errors: InjectedError[];
  reply: ReplyTurn | undefined;
}

function toSteps(s: Scenario): Step[] {
  const steps: Step[] = [];
  let errors: InjectedError[] = [];
  for (const t of s.turns) {
    if (t.kind === 'error') errors.push(t.error);
    else {
      steps.push({ errors, reply: t });
      errors = [];
    }
  }
  if (errors.length > 0) steps.push({ errors, reply: undefined });
  return steps;
}

/**
 * Scenarios and the per-conversation state. The turn to answer is the number of model turns in
 * the request's history, so retries and resumed sessions land on the right turn; injected errors
 * count their attempts per conversation and turn.
 */
export class ScenarioBook {
  private readonly byName = new Map<string, { scenario: Scenario; steps: Step[] }>();
  private readonly served = new Map<string, number>();
  private readonly defaultName: string | undefined;

  constructor(scenarios: readonly Scenario[]) {
    checkScenarioSet(scenarios);
    for (const s of scenarios) this.byName.set(s.name, { scenario: s, steps: toSteps(s) });
    this.defaultName =
      scenarios.find((s) => s.default === true)?.name ??
      (scenarios.length === 1 ? scenarios[0]?.name : undefined);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  plan(req: ModelRequest): Plan {
    const name = SCENARIO_MARKER.exec(req.userText)?.[1] ?? this.defaultName;
    const known = this.names.join(', ') || '(none loaded)';
    if (name === undefined)
      return {
        kind: 'unmatched',
        message: `no [scenario:NAME] marker in the prompt and no default scenario; known scenarios: ${known}`,
      };
    const entry = this.byName.get(name);
    if (entry === undefined)
      return {
        kind: 'unmatched',
        message: `unknown scenario "${name}" in the prompt's marker; known scenarios: ${known}`,
      };
    const { scenario, steps } = entry;
    const turnIndex = req.modelTurns;
    const step = steps[turnIndex];
    if (step === undefined) return { kind: 'exhausted', scenario, turnIndex };
    for (const [i, error] of step.errors.entries()) {
      const key = `${name}\u0000${req.conversation}\u0000${turnIndex}\u0000${i}`;
      const count = this.served.get(key) ?? 0;
      if (error.times !== undefined && count >= error.times) continue;
      this.served.set(key, count + 1);
      if (error.cut_after !== undefined)
        return {
          kind: 'reply',
          scenario,
          turnIndex,
          turn: step.reply ?? { kind: 'reply', reply: [{ say: '' }] },
          cutAfter: error.cut_after,
        };
      return {
        kind: 'error',
        scenario,
        turnIndex,
        status: error.status ?? 500,
        ...(error.message === undefined ? {} : { message: error.message }),
        ...(error.retry_after === undefined ? {} : { retryAfter: error.retry_after }),
      };
    }
    return step.reply === undefined
      ? { kind: 'exhausted', scenario, turnIndex }
      : { kind: 'reply', scenario, turnIndex, turn: step.reply };
  }
}
