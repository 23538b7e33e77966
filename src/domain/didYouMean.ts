/**
 * The candidate closest to `word` by edit distance (Levenshtein with transpositions, case-insensitive),
 * or undefined when none is close enough: distance ≤ max(1, ⌊0.4 × length of the longer word⌋), so
 * short words tolerate one typo and longer ones proportionally more, but never a change of every
 * letter ("c" is not "a"). A prefix of 3+ letters counts as one edit ("fail" → "failure").
 * An exact case-insensitive match wins.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const other = candidate.toLowerCase();
    // A truncated word ("fail" for "failure") counts as one edit.
    const distance = lower.length >= 3 && other.startsWith(lower) ? 1 : editDistance(lower, other);
    const threshold = Math.max(1, Math.floor(Math.max(word.length, candidate.length) * 0.4));
    if (distance <= threshold && distance < Math.min(lower.length, other.length) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "x"?` or an empty string: ready to append to an error message. */
export function didYouMeanSuffix(word: string, candidates: Iterable<string>): string {
  const suggestion = didYouMean(word, candidates);
  return suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions ("bulid" → "build" is 1). */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const up = rows[i - 1] ?? [];
      let d = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row[j] = d;
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
