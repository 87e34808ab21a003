/**
 * The checks on an agent's proposal, as the model reads them in its tool
 * result: each security finding with where, why and the fix, and the
 * project's checks the editor ran (docs/checks.md). Pure.
 */
import type { CheckFinding, ProjectCheckResult } from '../../shared/checks';

/** At most this many findings and problems are listed; the rest are counted. */
const MAX_LISTED = 20;

export function findingsReport(findings: readonly CheckFinding[]): string {
  if (findings.length === 0) return '';
  const lines = findings.slice(0, MAX_LISTED).map((finding) => `- ${finding.rule} (${finding.severity}) at ${finding.path}:${finding.line} — ${finding.why} Fix: ${finding.fix}`);
  if (findings.length > MAX_LISTED) lines.push(`[${findings.length - MAX_LISTED} more findings not shown]`);
  return [`Security findings in the proposed change; fix them before finish:`, ...lines].join('\n');
}

export function projectChecksReport(results: readonly ProjectCheckResult[]): string {
  if (results.length === 0) return '';
  const lines: string[] = [];
  let listed = 0;
  for (const result of results) {
    const problems = result.problems.length;
    const extra = result.reason ? ` (${result.reason})` : problems > 0 ? ` (${problems} problem${problems === 1 ? '' : 's'} in the changed files)` : '';
    lines.push(`- ${result.name}: ${result.status}${extra}`);
    for (const problem of result.problems) {
      if (listed >= MAX_LISTED) break;
      listed += 1;
      lines.push(`  ${problem.path}:${problem.line}: ${problem.severity}: ${problem.message}`);
    }
  }
  const total = results.reduce((sum, result) => sum + result.problems.length, 0);
  if (total > listed) lines.push(`[${total - listed} more problems not shown]`);
  return [`Project checks on the proposed change:`, ...lines].join('\n');
}
