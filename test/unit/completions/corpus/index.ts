/**
 * Every corpus case, one file per language under cases/ (format: format.ts).
 * corpus.test.ts runs each case once per template through the service
 * (run.ts) and checks the cases themselves; a run that fails on purpose
 * until the rules handle it is listed in pending.ts. `npm run
 * bench:completions -- --corpus-only [--failing]` prints the result by class,
 * language and template (and the failing runs).
 */
import type { CorpusCase } from './format';
import { CPP_CASES } from './cases/cpp';
import { CSHARP_CASES } from './cases/csharp';
import { DATA_CASES } from './cases/data';
import { GO_CASES } from './cases/go';
import { JAVA_CASES } from './cases/java';
import { KOTLIN_CASES } from './cases/kotlin';
import { PHP_CASES } from './cases/php';
import { PYTHON_CASES } from './cases/python';
import { RUBY_CASES } from './cases/ruby';
import { RUST_CASES } from './cases/rust';
import { TYPESCRIPT_CASES } from './cases/typescript';

export const CORPUS: readonly CorpusCase[] = [
  ...TYPESCRIPT_CASES,
  ...PYTHON_CASES,
  ...GO_CASES,
  ...RUST_CASES,
  ...JAVA_CASES,
  ...CPP_CASES,
  ...CSHARP_CASES,
  ...KOTLIN_CASES,
  ...RUBY_CASES,
  ...PHP_CASES,
  ...DATA_CASES,
];
