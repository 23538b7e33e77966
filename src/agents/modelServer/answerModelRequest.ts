import { apiErrorResponse } from './apiErrorResponse.ts';
import { buildModelReply, DEFAULT_USAGE } from './buildModelReply.ts';
import type { ModelRequest } from './ModelRequest.ts';
import type { Outcome } from './RecordedRequest.ts';
import { type Answer, renderReply } from './renderReply.ts';
import type { ScenarioBook } from './ScenarioBook.ts';

export interface Answered {
  answer: Answer;
  request: ModelRequest;
  outcome: Outcome;
  scenario: string | undefined;
  turn: number | undefined;
  warnings: string[];
}

/** Picks the scenario turn for a model request and renders it (reply, injected error or cut stream). */
export function answerModelRequest(
  request: ModelRequest,
  body: Record<string, unknown>,
  book: ScenarioBook,
): Answered {
  const plan = book.plan(request);
  const base = { request, warnings: [] as string[] };
  switch (plan.kind) {
    case 'unmatched':
      return {
        ...base,
        answer: { type: 'json', ...apiErrorResponse(request.api, 400, `model server: ${plan.message}`) },
        outcome: 'unmatched',
        scenario: undefined,
        turn: undefined,
      };
    case 'error': {
      const message =
        plan.message ??
        `injected error ${plan.status} (scenario "${plan.scenario.name}", turn ${plan.turnIndex})`;
      return {
        ...base,
        answer: { type: 'json', ...apiErrorResponse(request.api, plan.status, message, plan.retryAfter) },
        outcome: 'error',
        scenario: plan.scenario.name,
        turn: plan.turnIndex,
      };
    }
    case 'exhausted': {
      const { scenario, turnIndex } = plan;
      const text = `[model server] scenario "${scenario.name}" has no turn ${turnIndex + 1}: ending the conversation`;
      const { reply } = buildModelReply(
        scenario,
        { kind: 'reply', reply: [{ say: text }], usage: DEFAULT_USAGE },
        turnIndex,
        request,
      );
      return {
        ...base,
        answer: renderReply(reply, request, body),
        outcome: 'exhausted',
        scenario: scenario.name,
        turn: turnIndex,
        warnings: [text],
      };
    }
    case 'reply': {
      const { reply, warnings } = buildModelReply(plan.scenario, plan.turn, plan.turnIndex, request);
      return {
        request,
        answer: renderReply(reply, request, body, plan.cutAfter),
        outcome: plan.cutAfter === undefined ? 'reply' : 'cut',
        scenario: plan.scenario.name,
        turn: plan.turnIndex,
        warnings,
      };
    }
  }
}
