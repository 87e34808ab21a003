/**
 * The place in a file most similar to lines that could not be found, for the
 * error message only (never to apply anything). Windows are ranked cheaply by
 * character-bigram overlap; the best few are scored by normalised edit distance.
 */
import { foldUnicode } from './normalize';

export interface Closest {
  /** 0-based first line of the window. */
  start: number;
  /** Number of lines in the window. */
  length: number;
  /** 0..1, 1 meaning identical (ignoring surrounding whitespace). */
  score: number;
}

/** Windows below this score are not worth showing. */
const MIN_SCORE = 0.35;
/** At most this many block lines take part in the ranking pass. */
const MAX_SAMPLED_LINES = 24;
const REFINED_WINDOWS = 5;

function key(line: string): string {
  return foldUnicode(line).trim().replace(/\s+/g, ' ');
}

function bigrams(text: string): number[] {
  const grams: number[] = [];
  for (let i = 0; i + 1 < text.length; i++) {
    grams.push(text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1));
  }
  if (text.length === 1) {
    grams.push(text.charCodeAt(0));
  }
  return grams.sort((a, b) => a - b);
}

function dice(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) {
    return a.length === b.length ? 1 : 0;
  }
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) {
      i++;
    } else {
      j++;
    }
  }
  return (2 * common) / (a.length + b.length);
}

/** 1 - Levenshtein distance / longer length. */
export function editSimilarity(a: string, b: string): number {
  if (a === b) {
    return 1;
  }
  const longer = Math.max(a.length, b.length);
  if (longer === 0) {
    return 1;
  }
  if (a.length * b.length > 250_000) {
    return dice(bigrams(a), bigrams(b));
  }
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    [previous, current] = [current, previous];
  }
  return 1 - (previous[b.length] ?? longer) / longer;
}

/** The window of `fileLines` most similar to `block`, or undefined when nothing is close. */
export function findClosest(fileLines: readonly string[], block: readonly string[]): Closest | undefined {
  const width = Math.min(block.length, fileLines.length);
  if (width === 0) {
    return undefined;
  }
  const blockKeys = block.map(key);
  const sampled: number[] = [];
  const step = Math.max(1, blockKeys.length / MAX_SAMPLED_LINES);
  for (let s = 0; Math.floor(s) < width; s += step) {
    sampled.push(Math.floor(s));
  }
  const blockGrams = blockKeys.map(bigrams);
  const fileGrams: (number[] | undefined)[] = new Array(fileLines.length);
  const gramsAt = (i: number): number[] => (fileGrams[i] ??= bigrams(key(fileLines[i] ?? '')));
  const ranked: { start: number; score: number }[] = [];
  for (let start = 0; start + width <= fileLines.length; start++) {
    let total = 0;
    for (const j of sampled) {
      total += dice(blockGrams[j] ?? [], gramsAt(start + j));
    }
    ranked.push({ start, score: total / sampled.length });
  }
  ranked.sort((a, b) => b.score - a.score || a.start - b.start);
  let best: Closest | undefined;
  for (const { start } of ranked.slice(0, REFINED_WINDOWS)) {
    let total = 0;
    for (let j = 0; j < width; j++) {
      total += editSimilarity(blockKeys[j] ?? '', key(fileLines[start + j] ?? ''));
    }
    const score = total / block.length;
    if (!best || score > best.score) {
      best = { start, length: width, score };
    }
  }
  return best && best.score >= MIN_SCORE ? best : undefined;
}
