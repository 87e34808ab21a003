/**
 * Hybrid ranking: reciprocal rank fusion (Cormack et al., 2009) of the
 * lexical ranking (BM25) and the vector ranking (cosine similarity).
 * Ranks, not scores, are fused: BM25 scores and cosines live on different
 * scales, and a rank needs no calibration per workspace or per model.
 * Pure.
 */

/** The usual RRF constant: how much a first place outweighs a tenth. */
export const RRF_K = 60;

/**
 * Each key's fused score over `rankings` (each best first, keys distinct
 * within a list): the sum of 1 / (k + rank). Returned best first; ties keep
 * the order in which keys were first seen (the lexical list comes first).
 */
export function reciprocalRankFusion(rankings: ReadonlyArray<readonly string[]>, k = RRF_K): Array<{ key: string; score: number }> {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((key, index) => scores.set(key, (scores.get(key) ?? 0) + 1 / (k + index + 1)));
  }
  return [...scores].map(([key, score]) => ({ key, score })).sort((a, b) => b.score - a.score);
}

/** Cosine similarity; 0 when either vector is all zeros or their lengths differ. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The `limit` keys whose vectors are nearest `query`, best first. */
export function nearest(query: Float32Array, vectors: Iterable<[string, Float32Array]>, limit: number): Array<{ key: string; score: number }> {
  const all: Array<{ key: string; score: number }> = [];
  for (const [key, vector] of vectors) all.push({ key, score: cosine(query, vector) });
  return all.sort((a, b) => b.score - a.score).slice(0, limit);
}
