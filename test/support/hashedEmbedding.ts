/**
 * A deterministic stand-in for an embedding model: a hashed bag of words
 * (identifiers split at case and underscores, lower-cased), signed, length
 * normalised. NOT a real embedding model: it knows no synonyms; it lets
 * tests and the bench exercise the hybrid code path offline and repeatably.
 */
import { createHash } from 'node:crypto';

export const HASHED_DIMS = 256;

export function hashedEmbedding(text: string, dims = HASHED_DIMS): number[] {
  const vector = new Array<number>(dims).fill(0);
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1);
  for (const word of words) {
    const digest = createHash('md5').update(word).digest();
    const slot = digest.readUInt32LE(0) % dims;
    vector[slot] = (vector[slot] ?? 0) + ((digest[4] ?? 0) & 1 ? 1 : -1);
  }
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return norm === 0 ? vector : vector.map((x) => x / norm);
}
