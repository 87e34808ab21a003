/**
 * Scores the codebase search on a labelled set (test/fixtures/retrieval):
 * each question is asked, the ranked chunks become a ranked list of distinct
 * files, and the question's files are looked for in it. Shared by
 * `npm run bench:context` (which prints the figures) and the unit test that
 * keeps them above a floor.
 *
 * - hit@5: the share of questions with one of their files among the first 5;
 * - recall@5: the share of each question's files among the first 5, averaged;
 * - MRR: the mean of 1 / the rank of the first right file (0 past rank 10).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CodebaseIndex } from '../../src/server/services/codebase/codebaseIndex';

export interface LabelledSet {
  package: string;
  version: string;
  /** Relative to the repository. */
  root: string;
  questions: Array<{ q: string; files: string[] }>;
}

export interface RetrievalScores {
  questions: number;
  hitAt5: number;
  recallAt5: number;
  mrr: number;
  /** Per question: the rank of the first right file (undefined: not in the first 10). */
  ranks: Array<{ q: string; rank: number | undefined; top: string[] }>;
}

/** `repository`: the checkout (the bench passes its own; an ES module loader's __dirname is not this file's). */
export function loadLabelledSet(name = 'mocha-lib.json', repository = path.resolve(__dirname, '../..')): LabelledSet & { absoluteRoot: string } {
  const set = JSON.parse(readFileSync(path.join(repository, 'test/fixtures/retrieval', name), 'utf8')) as LabelledSet;
  return { ...set, absoluteRoot: path.join(repository, set.root) };
}

/** The first `depth` distinct files for `query`, best first. */
export function rankedFiles(index: CodebaseIndex, query: string, depth = 10): string[] {
  const files: string[] = [];
  for (const hit of index.hits(query, 50)) {
    if (!files.includes(hit.file)) files.push(hit.file);
    if (files.length >= depth) break;
  }
  return files;
}

export function score(index: CodebaseIndex, set: LabelledSet): RetrievalScores {
  return scoreRanking(set, (query) => rankedFiles(index, query));
}

/** The figures for any ranking: `rank` gives a question's distinct files, best first. */
export function scoreRanking(set: LabelledSet, rank: (query: string) => string[]): RetrievalScores {
  let hits = 0;
  let recall = 0;
  let reciprocal = 0;
  const ranks: RetrievalScores['ranks'] = [];
  for (const { q, files } of set.questions) {
    const ranked = rank(q);
    const top5 = ranked.slice(0, 5);
    const found = files.filter((file) => top5.includes(file)).length;
    if (found > 0) hits++;
    recall += found / files.length;
    const first = ranked.findIndex((file) => files.includes(file));
    if (first >= 0) reciprocal += 1 / (first + 1);
    ranks.push({ q, rank: first >= 0 ? first + 1 : undefined, top: top5 });
  }
  const n = set.questions.length;
  return { questions: n, hitAt5: hits / n, recallAt5: recall / n, mrr: reciprocal / n, ranks };
}
