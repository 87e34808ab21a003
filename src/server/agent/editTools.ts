/**
 * apply_patch and create_file: the edit engine computes the change set
 * against the current texts; protected files need the person's approval; the
 * client reviews (policy `ask`) or applies (`auto-edit`, `full-auto`) and
 * says what landed, and the model is told exactly that, with the editor's
 * diagnostics for the files that changed (self-verification). Every change
 * set is checked first (docs/checks.md): the findings go to the editor with
 * it, onto the step's card and into the tool result.
 */
import type { ProposalVerdict } from '../../shared/checks';
import type { ChangeSet, FileChange } from '../../shared/edits';
import { applyEdits, describeFailures, markerFailure } from '../edits';
import { checkProposal } from '../services/checks';
import { findingsReport, projectChecksReport } from './checkReport';
import { formatDiagnostics, patchPaths, type ToolContext } from './steps';
import type { ToolOutcome } from './workspace';

export async function applyPatchTool(ctx: ToolContext, patch: string): Promise<ToolOutcome> {
  // Paths named in the patch are checked first, so an ignored file is refused, not reported as missing.
  for (const named of patchPaths(patch)) {
    const decision = ctx.ws.decide(named, 'write');
    if (decision.action === 'refuse') return refuse(ctx, decision.reason);
  }
  const outcome = applyEdits({ text: patch, readFile: (relative) => ctx.ws.readText(relative) });
  if (!outcome.ok) {
    // A file the engine could not see because it is off-limits is refused as such, not reported missing.
    for (const failure of outcome.failures) {
      const decision = failure.path === undefined ? undefined : ctx.ws.decide(failure.path, 'write');
      if (decision?.action === 'refuse') return refuse(ctx, decision.reason);
    }
    const message = describeFailures(outcome.failures);
    ctx.step.update('failed', { output: message });
    return { ok: false, output: message, summary: message };
  }
  return landChanges(ctx, outcome.changeSet);
}

export async function createFileTool(ctx: ToolContext, relativePath: string, content: string): Promise<ToolOutcome> {
  const decision = ctx.ws.decide(relativePath, 'write');
  if (decision.action === 'refuse') return refuse(ctx, decision.reason);
  const oldText = ctx.ws.readText(decision.relative);
  const newText = content.endsWith('\n') || content === '' ? content : `${content}\n`;
  // Content with edit-format marker lines (a SEARCH/REPLACE block, a patch) is an edit written as a file, not code.
  const marker = markerFailure(decision.relative, oldText, newText);
  if (marker) {
    const message = describeFailures([marker]);
    ctx.step.update('failed', { output: message });
    return { ok: false, output: message, summary: message };
  }
  if (oldText === newText) {
    const message = `${decision.relative} already has exactly this content; nothing to change.`;
    ctx.step.update('done', { output: message });
    return { ok: true, output: message, summary: 'unchanged' };
  }
  const change: FileChange = oldText === undefined ? { kind: 'add', path: decision.relative, newText } : { kind: 'update', path: decision.relative, oldText, newText };
  return landChanges(ctx, { format: 'codeBlock', changes: [change] });
}

function refuse(ctx: ToolContext, reason: string): ToolOutcome {
  const output = `Refused: ${reason} The edit was NOT applied.`;
  ctx.step.update('refused', { output: reason });
  return { ok: false, output, summary: reason, refused: true };
}

function changedPaths(change: FileChange): string[] {
  return change.kind === 'update' && change.moveTo ? [change.path, change.moveTo] : [change.path];
}

async function landChanges(ctx: ToolContext, changeSet: ChangeSet): Promise<ToolOutcome> {
  // The engine may produce paths no header named (diffs, code blocks): check them all again.
  const asks: string[] = [];
  const protectedPaths: string[] = [];
  for (const change of changeSet.changes) {
    for (const target of changedPaths(change)) {
      const decision = ctx.ws.decide(target, 'write');
      if (decision.action === 'refuse') return refuse(ctx, decision.reason);
      if (decision.action === 'ask' && !ctx.allowedProtected.has(decision.relative)) {
        asks.push(decision.reason);
        protectedPaths.push(decision.relative);
      }
    }
  }
  if (asks.length > 0) {
    ctx.step.update('waiting', { changeSet });
    const answer = await ctx.client({ kind: 'approve', title: 'Allow editing a protected file?', detail: asks.join('\n') });
    if (answer.kind === 'approve' && answer.approved && answer.allowForTask) {
      for (const relative of protectedPaths) ctx.allowedProtected.add(relative);
    }
    if (answer.kind !== 'approve' || !answer.approved) {
      const files = changeSet.changes.map((change) => change.path).join(', ');
      const output = `The change to ${files} was NOT applied: the person did not allow editing a protected file (${asks.join(' ')}).`;
      ctx.step.update('rejected', { output });
      return { ok: false, output, summary: 'not allowed' };
    }
  }

  const autoApply = ctx.settings.policy !== 'ask';
  ctx.audit?.proposal(changeSet);
  // Before the editor sees it: the review shows these findings, the model is told them below.
  const findings = ctx.audit ? await ctx.audit.securityChecks(changeSet) : await checkProposal(changeSet);
  let verdict: ProposalVerdict = { findings, project: [], running: false };
  ctx.step.update(autoApply ? 'running' : 'waiting', { changeSet, verdict });
  const result = await ctx.client({ kind: 'applyChanges', changeSet, autoApply, policy: ctx.settings.policy, findings });
  if (result.kind !== 'applyChanges') {
    const output = appendReports('The change was NOT applied: the editor gave no usable answer.', verdict);
    ctx.step.update('failed', { output });
    return { ok: false, output, summary: output.split('\n')[0] ?? '' };
  }
  // The project's checks as far as the editor ran them; the security findings stay the service's own.
  if (result.verdict && result.verdict.project.length > 0) verdict = { findings, project: result.verdict.project, running: false };
  const applied = new Set(result.applied);
  for (const change of changeSet.changes) {
    if (!applied.has(change.path) && !(change.kind === 'update' && change.moveTo && applied.has(change.moveTo))) continue;
    if (change.kind === 'delete') ctx.ws.setApplied(change.path, undefined);
    else if (change.kind === 'update' && change.moveTo) {
      ctx.ws.setApplied(change.path, undefined);
      ctx.ws.setApplied(change.moveTo, change.newText);
    } else ctx.ws.setApplied(change.path, change.newText);
  }

  const lines: string[] = [];
  const reason = result.message.trim();
  for (const path of result.rejected) {
    lines.push(`The change to ${path} was NOT applied: the person rejected it${reason ? ` (${reason})` : ''}.`);
  }
  const proposed = changeSet.changes.flatMap(changedPaths);
  const unaccounted = proposed.filter((path) => !applied.has(path) && !result.rejected.includes(path));
  const landedAny = result.applied.length > 0;
  for (const path of unaccounted) {
    // A rename lands under its new name; the old one is then simply gone.
    const renamedAway = changeSet.changes.some((change) => change.kind === 'update' && change.path === path && change.moveTo && applied.has(change.moveTo));
    if (!renamedAway) lines.push(`The change to ${path} was NOT applied${reason ? `: ${reason}` : '.'}`);
  }
  if (landedAny) {
    lines.unshift(`Applied: ${result.applied.join(', ')}.`);
    const diagnostics = await ctx.client({ kind: 'diagnostics', paths: result.applied });
    if (diagnostics.kind === 'diagnostics') {
      const visible = diagnostics.diagnostics.filter((entry) => ctx.ws.decide(entry.path, 'read').action !== 'refuse');
      lines.push(`Problems in the changed files: ${formatDiagnostics(visible)}`);
    }
  }
  const output = appendReports(lines.join('\n'), verdict);
  const status = landedAny ? 'done' : result.rejected.length > 0 ? 'rejected' : 'failed';
  ctx.step.update(status, { output, verdict });
  return { ok: landedAny, output, summary: output.split('\n')[0] ?? '' };
}

/** The tool result with the checks' reports after what happened to the change. */
function appendReports(output: string, verdict: ProposalVerdict): string {
  return [output, findingsReport(verdict.findings), projectChecksReport(verdict.project)].filter(Boolean).join('\n');
}
