import { describe, expect, it } from 'vitest';
import { budgetWithinRun, runSpend } from './runBudget.ts';

const agent = (tokensIn: number, tokensOut: number, usd?: number) => ({
  kind: 'agent' as const,
  outputs: {
    tokens_in: String(tokensIn),
    tokens_out: String(tokensOut),
    ...(usd === undefined ? {} : { cost_usd: String(usd) }),
  },
});

describe("a run's agent budget", () => {
  it('adds up what the agent steps spent, ignoring other steps', () => {
    expect(
      runSpend([agent(100, 20, 0.5), { kind: 'run', outputs: { tokens_in: '999' } }, agent(10, 5)]),
    ).toEqual({
      tokens: 135,
      usd: 0.5,
    });
  });

  it('lowers a step budget to what is left, and refuses a step once it is spent', () => {
    expect(budgetWithinRun({ tokens: 1000, wallMs: 5 }, { tokens: 500 }, [agent(200, 100)])).toEqual({
      tokens: 200,
      wallMs: 5,
    });
    expect(budgetWithinRun({}, { usd: 2 }, [agent(1, 1, 0.5)])).toEqual({ usd: 1.5 });
    expect(budgetWithinRun({}, { tokens: 300 }, [agent(200, 100)])).toBe(
      "the run's token budget of 300 is spent (300 used)",
    );
    expect(budgetWithinRun({ turns: 3 }, undefined, [agent(1e9, 0)])).toEqual({ turns: 3 });
  });
});
