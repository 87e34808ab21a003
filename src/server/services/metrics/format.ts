/** `tandem metrics` without --json: the report as plain-text tables a person reads in a terminal. */
import type { CompletionFigures, MetricsReport, Quantiles, TokenFigures } from '../../../shared/metrics';
import { costText } from '../../../shared/metrics';

const MAX_NAME = 80;

/**
 * A name from the audit trail (a model, a language) as a terminal shows it: the trail holds
 * what model servers said, so escape sequences, other control characters and bidirectional
 * overrides are shown as visible code points instead of acting on the terminal, and a name
 * too long for a table is cut.
 */
export function terminalSafe(text: string): string {
  const visible = text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return visible.length > MAX_NAME ? `${visible.slice(0, MAX_NAME - 1)}…` : visible;
}

function table(title: string, header: readonly string[], unsafeRows: ReadonlyArray<readonly string[]>): string {
  if (unsafeRows.length === 0) return `${title}\n  (none)\n\n`;
  const rows = unsafeRows.map((row) => row.map(terminalSafe));
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  // Names left-aligned, figures right-aligned.
  const line = (row: readonly string[]): string => `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}`.trimEnd();
  return `${title}\n${line(header)}\n${line(widths.map((width) => '-'.repeat(width)))}\n${rows.map(line).join('\n')}\n\n`;
}

function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

function ms(value: number | undefined): string {
  return value === undefined ? '—' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function quantiles(q: Quantiles): string[] {
  return [String(q.count), ms(q.p50), ms(q.p95), q.exact ? '' : '(sampled)'];
}

function completionRow(name: string, c: CompletionFigures): string[] {
  return [name, String(c.shown), String(c.accepted), String(c.partiallyAccepted), percent(c.acceptanceRate), String(c.charsAccepted)];
}

function tokenRow(name: string, t: TokenFigures): string[] {
  return [name, String(t.requests), String(t.prompt), String(t.completion), String(t.total), costText(t)];
}

export function formatReport(report: MetricsReport): string {
  const { totals, velocity, quality, speed } = report;
  const range = `${report.range.since ?? 'the beginning'} – ${report.range.until ?? 'now'}`;
  let out = `Tandem metrics, ${range}: ${report.events} events${report.first ? ` (${report.first} – ${report.last})` : ''}${report.skipped ? `, ${report.skipped} unreadable lines skipped` : ''}\n\n`;
  const completionHeader = ['', 'shown', 'accepted', 'partly', 'rate', 'chars accepted'];
  out += table('Completions by day', completionHeader, [...report.days.map((day) => completionRow(day.day, day.completions)), completionRow('total', totals.completions)]);
  out += table(
    'Completions by language',
    completionHeader,
    Object.entries(totals.completionsByLanguage)
      .sort(([, a], [, b]) => b.shown - a.shown)
      .map(([language, figures]) => completionRow(language, figures)),
  );
  out += table('Proposals and agent tasks by day', ['', 'proposals', 'accepted', 'rejected', 'refused', 'tasks', 'steps', 'commands run'], [
    ...report.days.map((day) => [day.day, day.proposals, day.decisions.accepted, day.decisions.rejected, day.decisions.refused, day.agent.started, day.agent.steps, day.agent.commandsRun].map(String)),
    ['total', totals.proposals, totals.decisions.accepted, totals.decisions.rejected, totals.decisions.refused, totals.agent.started, totals.agent.steps, totals.agent.commandsRun].map(String),
  ]);
  out += table('Durations', ['', 'count', 'p50', 'p95', ''], [
    ['proposal → first decision', ...quantiles(velocity.timeToDecisionMs)],
    ['agent task', ...quantiles(velocity.taskDurationMs)],
    ['steps per task', String(velocity.stepsPerTask.count), String(velocity.stepsPerTask.p50 ?? '—'), String(velocity.stepsPerTask.p95 ?? '—'), velocity.stepsPerTask.exact ? '' : '(sampled)'],
  ]);
  out += `Undecided proposals: ${velocity.undecidedProposals}\n\n`;
  out += table('Quality', ['', 'count'], [
    ['changes accepted', String(quality.changes.accepted)],
    ['changes rejected', String(quality.changes.rejected)],
    ['accepted, later restored', String(quality.acceptedThenRestored)],
    ['agent tasks, last test passed', String(quality.tasksLastTestPassed)],
    ['agent tasks, last test failed', String(quality.tasksLastTestFailed)],
    ...Object.entries(quality.refusalsByReason).map(([reason, count]) => [`edit refused: ${reason || '(no reason)'}`, String(count)]),
    ...Object.entries(quality.commandRefusals).map(([kind, count]) => [`command refused: ${kind}`, String(count)]),
    ['check findings caught before approval', String(quality.checkFindings.findingsBeforeDecision)],
    ...Object.entries(quality.checkFindings.findingsBySeverity).map(([severity, count]) => [`  ${severity} severity`, String(count)]),
    ['check findings after the decision', String(quality.checkFindings.findingsAfterDecision)],
    ['proposals accepted despite a high finding', String(quality.checkFindings.acceptedWithHighFinding)],
    ...Object.entries(quality.checkFindings.projectChecksByStatus).map(([status, count]) => [`project checks ${status}`, String(count)]),
  ]);
  const tokenHeader = ['', 'requests', 'prompt', 'completion', 'total', 'est. cost (USD)'];
  out += table('Tokens by day', tokenHeader, [...report.days.map((day) => tokenRow(day.day, day.tokens)), tokenRow('total', totals.tokens)]);
  out += table('Tokens by model', tokenHeader, Object.entries(totals.tokensByModel).map(([model, figures]) => tokenRow(model, figures)));
  out += table(
    'Time to first token',
    ['model / purpose', 'count', 'p50', 'p95', ''],
    Object.entries(speed.ttftMs).flatMap(([model, byPurpose]) => Object.entries(byPurpose).map(([purpose, q]) => [`${model} / ${purpose}`, ...quantiles(q)])),
  );
  const { cost } = report;
  out += `Costs are estimates from list prices as of ${cost.pricesAsOf}${cost.overridden ? ' and your tandem.metrics.prices' : ''}; a server on this machine costs 0.${cost.unpricedModels.length > 0 ? ` No price known for: ${cost.unpricedModels.map(terminalSafe).join(', ')} (cost unknown).` : ''}\n`;
  return out;
}
