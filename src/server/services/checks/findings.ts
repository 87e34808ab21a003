/**
 * The findings of the checks on a proposal: the type lives in src/shared
 * (the review shows them), the order they are reported in lives here.
 */
import { CHECK_SEVERITIES, type CheckFinding } from '../../../shared/checks';

export type { CheckFinding, CheckSeverity } from '../../../shared/checks';

/** Most severe first, then by file and line, so a person reads the worst first and a test gets one order. */
export function sortFindings(findings: CheckFinding[]): CheckFinding[] {
  const rank = (finding: CheckFinding) => CHECK_SEVERITIES.indexOf(finding.severity);
  return findings.sort(
    (a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}
