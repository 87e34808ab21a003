/**
 * The security checks on a proposal (docs/checks.md): secrets it introduces
 * and insecure code in its added lines, per file. Pure and editor-agnostic:
 * a change set in, findings out, nothing written or sent.
 */
import type { CheckFinding } from '../../../shared/checks';
import type { ChangeSet } from '../../../shared/edits';
import { proposedFile } from './addedLines';
import { sortFindings } from './findings';
import { insecureFindings } from './insecure';
import { secretFindings } from './secrets';

export { sortFindings } from './findings';
export { INSECURE_RULES } from './rules';
export { SECRET_RULE } from './secrets';
export { languageOf, CHECK_LANGUAGES, type CheckLanguage } from './languages';

export async function checkProposal(changeSet: ChangeSet): Promise<CheckFinding[]> {
  const findings: CheckFinding[] = [];
  for (const change of changeSet.changes) {
    const file = proposedFile(change);
    if (!file) continue;
    const secrets = await secretFindings(file);
    // A credential the secret detector already reported on a line is one finding, not two.
    const secretLines = new Set(secrets.map((finding) => finding.line));
    findings.push(...secrets, ...insecureFindings(file).filter((finding) => !(finding.rule === 'hardcoded-credential' && secretLines.has(finding.line))));
  }
  return sortFindings(findings);
}
