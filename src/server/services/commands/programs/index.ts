/** The per-program tables: which options and operands of a program are known to be safe. */
import { BUILD_PROGRAMS } from './build';
import { FILE_PROGRAMS } from './files';
import { GIT } from './git';
import { JS_PROGRAMS } from './js';
import { PYTHON_PROGRAMS } from './python';
import type { ProgramTable } from './table';

export type { CommandWorkspace, ProgramContext, ProgramTable, Verdict } from './table';
export { checkPath, isFile, MAX_CHECKED_PATHS } from './table';

const TABLES: Readonly<Record<string, ProgramTable>> = {
  ...FILE_PROGRAMS,
  git: GIT,
  ...JS_PROGRAMS,
  ...PYTHON_PROGRAMS,
  ...BUILD_PROGRAMS,
};

/** The table for a program written as a bare name (`git`, not `/usr/bin/git` or `./git`). */
export function programTable(name: string): ProgramTable | undefined {
  return Object.prototype.hasOwnProperty.call(TABLES, name) ? TABLES[name] : undefined;
}

export const TABLE_PROGRAMS: readonly string[] = Object.keys(TABLES);
