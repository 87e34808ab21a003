/** Every corpus case, one file per language under cases/. */
import type { CorpusCase } from './format';
import { GO_CASES } from './cases/go';
import { PYTHON_CASES } from './cases/python';
import { RUST_CASES } from './cases/rust';
import { TYPESCRIPT_CASES } from './cases/typescript';

export const CORPUS: readonly CorpusCase[] = [...TYPESCRIPT_CASES, ...PYTHON_CASES, ...GO_CASES, ...RUST_CASES];
