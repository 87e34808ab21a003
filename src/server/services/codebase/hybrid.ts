/**
 * Hybrid ranking of chunk hits: the lexical hits (BM25, best first) and the
 * vector hits (cosine, best first) fused by reciprocal rank (fusion.ts). A
 * chunk is the same chunk in both lists when its file and first line are.
 */
import { reciprocalRankFusion } from './fusion';

export interface RankedChunk {
  file: string;
  start: number;
}

/** How deep each ranking is read before fusing (a chunk below both is not a top hit). */
export const FUSION_DEPTH = 50;

/** `lexical` and `vector` fused, best first, at most `limit`; each hit keeps the object it came with (lexical first), its score the fused one. */
export function fuseHits<H extends RankedChunk & { score: number }>(lexical: readonly H[], vector: readonly H[], limit: number): H[] {
  const key = (hit: RankedChunk): string => `${hit.file}\u0000${hit.start}`;
  const byKey = new Map<string, H>();
  for (const hit of [...lexical, ...vector]) if (!byKey.has(key(hit))) byKey.set(key(hit), hit);
  const fused = reciprocalRankFusion([lexical.slice(0, FUSION_DEPTH).map(key), vector.slice(0, FUSION_DEPTH).map(key)]);
  return fused.slice(0, limit).map(({ key: k, score }) => ({ ...(byKey.get(k) as H), score }));
}
