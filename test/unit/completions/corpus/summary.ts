/**
 * The corpus result as figures: runs inserting exactly the expected text, by
 * class and by language, per template (for the bench and the pending list).

 * `npm run bench:completions -- --corpus-only [--failing]` prints it (with
 * --failing: the failing runs, as pending.ts entries).
 */
import { CASE_CLASSES, type TemplateKind } from './format';
import { CORPUS } from './index';
import { CorpusRunner, TEMPLATE_KINDS, type CaseRun } from './run';

export interface Tally {
  passed: number;
  total: number;
}

export interface CorpusSummary {
  runs: number;
  passed: number;
  /** Cases, and cases whose every run passed. */
  cases: number;
  casesPassed: number;
  byTemplate: Record<TemplateKind, Tally>;
  /** Row (class or language) → template → tally. */
  byClass: Map<string, Record<TemplateKind, Tally>>;
  byLanguage: Map<string, Record<TemplateKind, Tally>>;
  elapsedMs: number;
}

const emptyRow = (): Record<TemplateKind, Tally> => ({ fim: { passed: 0, total: 0 }, chat: { passed: 0, total: 0 } });

export function summarize(runs: readonly CaseRun[], elapsedMs: number): CorpusSummary {
  const byTemplate = emptyRow();
  const byClass = new Map<string, Record<TemplateKind, Tally>>(CASE_CLASSES.map((name) => [name, emptyRow()]));
  const byLanguage = new Map<string, Record<TemplateKind, Tally>>();
  for (const run of runs) {
    const rows = [byTemplate, byClass.get(run.case.class), byLanguage.get(run.case.language) ?? byLanguage.set(run.case.language, emptyRow()).get(run.case.language)];
    for (const row of rows) {
      if (row) {
        row[run.template].total++;
        row[run.template].passed += run.passed ? 1 : 0;
      }
    }
  }
  const passed = runs.filter((run) => run.passed).length;
  const failedCases = new Set(runs.filter((run) => !run.passed).map((run) => run.case.id));
  const cases = new Set(runs.map((run) => run.case.id)).size;
  return { runs: runs.length, passed, cases, casesPassed: cases - failedCases.size, byTemplate, byClass, byLanguage, elapsedMs };
}

const cell = ({ passed, total }: Tally): string => (total ? `${passed}/${total}`.padStart(9) : '        -');

/** The summary as text lines (a table per dimension). */
export function formatSummary(summary: CorpusSummary): string[] {
  const lines: string[] = [];
  const table = (title: string, rows: Map<string, Record<TemplateKind, Tally>>): void => {
    lines.push(`  ${title.padEnd(14)}${TEMPLATE_KINDS.map((t) => t.padStart(9)).join('')}`);
    for (const [name, row] of rows) {
      lines.push(`  ${name.padEnd(14)}${TEMPLATE_KINDS.map((t) => cell(row[t])).join('')}`);
    }
  };
  lines.push(`  ${'all'.padEnd(14)}${TEMPLATE_KINDS.map((t) => cell(summary.byTemplate[t])).join('')}`);
  table('by class', summary.byClass);
  table('by language', new Map([...summary.byLanguage].sort(([a], [b]) => a.localeCompare(b))));
  return lines;
}

export async function runCorpus(): Promise<{ runs: CaseRun[]; summary: CorpusSummary }> {
  const runner = await CorpusRunner.start();
  try {
    const started = performance.now();
    const runs = await runner.runAll(CORPUS);
    return { runs, summary: summarize(runs, performance.now() - started) };
  } finally {
    await runner.close();
  }
}
