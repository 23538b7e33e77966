/**
 * Token counts. `input` counts every prompt token, cached ones included (`cached_input` of them read
 * from cache, `cache_write` written to it); `output` includes `reasoning` tokens.
 */
export interface TokenCounts {
  input: number;
  output: number;
  cached_input: number;
  cache_write: number;
  reasoning: number;
}

export function emptyTokens(): TokenCounts {
  return { input: 0, output: 0, cached_input: 0, cache_write: 0, reasoning: 0 };
}

export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cached_input: a.cached_input + b.cached_input,
    cache_write: a.cache_write + b.cache_write,
    reasoning: a.reasoning + b.reasoning,
  };
}
