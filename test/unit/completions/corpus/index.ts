/** Every corpus case, one file per language under cases/. */
import type { CorpusCase } from './format';
import { TYPESCRIPT_CASES } from './cases/typescript';

export const CORPUS: readonly CorpusCase[] = [...TYPESCRIPT_CASES];
