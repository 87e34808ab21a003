/**
 * The verdict of a review as the Proposed Changes view and the status bar
 * show it: a few words, a state for the icon, and a tooltip listing every
 * finding and check. Pure (no vscode), so it is tested in Node.
 */
import { verdictText } from '../../shared/checks';
import type { VerdictSummary } from '../edits/checksHook';
import type { VerificationState } from './verification';

/** The verdict in a few words, how it looks, and what its tooltip lists. */
export function summarize(state: VerificationState): VerdictSummary {
  const { verdict } = state;
  if (state.security === 'checking') return { text: 'Checking…', state: 'checking', tooltip: 'Tandem is checking the proposal.' };
  const problem = state.security === 'failed' ? `Security checks could not run: ${state.problem ?? 'no answer'}` : undefined;
  const text = problem ? `security checks could not run${verdict.running ? ', checking…' : ''}` : verdictText(verdict);
  const failed = verdict.project.some((check) => check.status !== 'passed' && check.status !== 'skipped' && check.status !== 'cancelled');
  const lines = [
    ...(problem ? [problem] : []),
    ...verdict.findings.map((finding) => `${finding.rule} (${finding.severity}) at ${finding.path}:${finding.line} — ${finding.why}`),
    ...verdict.project.map((check) => `${check.name} (${check.command}): ${check.status}${check.reason ? ` — ${check.reason}` : ''}`),
  ];
  const stateName: VerdictSummary['state'] = verdict.findings.length > 0 ? 'findings' : problem || failed ? 'failed' : verdict.running ? 'checking' : 'passed';
  return { text, state: stateName, tooltip: lines.length > 0 ? lines.join('\n') : 'No security findings in the lines this proposal adds.' };
}
