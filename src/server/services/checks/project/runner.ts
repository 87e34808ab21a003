/**
 * Runs the project's own checks on a proposal (docs/checks.md, "Project
 * checks"): plans them, builds the temporary copy with the proposal
 * applied, decides each command with the agent's approval policy and
 * allow/deny lists, and has the client run it there (sandboxed when it runs
 * unasked; after the person's answer when the policy asks).
 *
 * One run at a time per workspace folder (a queue); a newer run for the
 * same review supersedes an older one, queued or running. Checks that run
 * unasked go first; each check that asks waits for its answer at most
 * `approvalWaitSeconds` and is otherwise left `needsApproval`, so a
 * question nobody answers holds the queue for a bounded time only. Every
 * check has a timeout; the copy is removed whatever happens.
 */
import { WorkspaceBoundary } from '../../../../shared/boundary/boundary';
import type { ProjectCheckResult, ProjectCheckStatus } from '../../../../shared/checks';
import { CHECKS_DEFAULTS } from '../../../../shared/defaults';
import type { ChangeSet } from '../../../../shared/edits';
import { errorMessage } from '../../../../shared/guards';
import type { ProjectChecksParams, RunCheckCommandParams, RunCheckCommandResult } from '../../../../shared/projectChecksProtocol';
import { NO_AUDIT, type AuditSink } from '../../audit/trail';
import { decideCommand, type CommandDecision } from '../../commands/policy';
import { findSecrets } from '../../redaction/scan';
import { approvalKey, planChecks, resolveCommand, type PlannedCheck } from './plan';
import { parseProblems, sortOutProblems, stripControl } from './problems';
import { createTempCopy, disposeAllCopies, type TempCopy, type TempCopyOptions } from './tempCopy';

/** The client's side: runs a command in the copy (asking first when `approval` is set). */
export interface CheckClient {
  runCommand(params: RunCheckCommandParams, signal: AbortSignal): Promise<RunCheckCommandResult>;
}

export interface ProjectChecksDeps {
  client: CheckClient;
  audit?: AuditSink;
  log?: { warn(message: string): void };
  copy?: TempCopyOptions;
  approvalWaitSeconds?: number;
  /** How long past a check's timeout the service waits for the client before it counts the check as timed out. */
  graceMs?: number;
}

/** The tail of a failed check's output that is kept. */
export const OUTPUT_TAIL_CHARS = 4_000;
const DEFAULT_GRACE_MS = 15_000;

const SUPERSEDED = 'superseded';

export class ProjectChecks {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly latest = new Map<string, AbortController>();
  private readonly active = new Set<AbortController>();
  private closed = false;

  constructor(private readonly deps: ProjectChecksDeps) {}

  /**
   * The checks' results (also sent to `onProgress` as each check ends).
   * `signal`: the client cancelled (the proposal was decided or superseded).
   */
  async run(params: ProjectChecksParams, signal: AbortSignal, onProgress: (results: ProjectCheckResult[]) => void = () => undefined): Promise<ProjectCheckResult[]> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    const reviewKey = `${params.folder}\0${params.reviewId}`;
    this.latest.get(reviewKey)?.abort(SUPERSEDED);
    this.latest.set(reviewKey, controller);
    this.active.add(controller);
    if (this.closed) controller.abort('shutdown');
    const before = this.queues.get(params.folder) ?? Promise.resolve();
    const turn = before.then(() => this.execute(params, controller.signal, onProgress));
    const settled = turn.catch(() => undefined);
    this.queues.set(params.folder, settled);
    try {
      return await turn;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.active.delete(controller);
      if (this.latest.get(reviewKey) === controller) this.latest.delete(reviewKey);
      if (this.queues.get(params.folder) === settled) this.queues.delete(params.folder);
    }
  }

  /** Stops every run and removes every copy (the service shuts down). */
  async dispose(): Promise<void> {
    this.closed = true;
    for (const controller of this.active) controller.abort('shutdown');
    await Promise.all([...this.queues.values()]);
    await disposeAllCopies();
  }

  private async execute(params: ProjectChecksParams, signal: AbortSignal, onProgress: (results: ProjectCheckResult[]) => void): Promise<ProjectCheckResult[]> {
    const started = performance.now();
    const planned = planChecks(params.folder, params.settings);
    if (planned.length === 0) return [];
    const results = new Map<PlannedCheck, ProjectCheckResult>();
    const ended = (check: PlannedCheck, result: Omit<ProjectCheckResult, 'name' | 'kind' | 'command'>): void => {
      results.set(check, { name: check.name, kind: check.kind, command: check.command, ...result });
      onProgress(planned.flatMap((each) => results.get(each) ?? []));
    };
    const endAll = (status: ProjectCheckStatus, reason: string): void => {
      for (const check of planned) if (!results.has(check)) ended(check, { status, durationMs: 0, problems: [], reason });
    };
    for (const check of planned) if (check.skip) ended(check, { status: 'skipped', durationMs: 0, problems: [], reason: check.skip });
    let copy: TempCopy | undefined;
    try {
      if (planned.some((check) => !results.has(check))) {
        if (signal.aborted) throw signal.reason;
        const made = await createTempCopy(params.folder, params.changeSet, { ...this.deps.copy, signal });
        if (!made.ok) endAll('skipped', made.reason);
        else copy = made.copy;
      }
      if (copy) await this.runChecks(params, copy, planned.filter((check) => !results.has(check)), signal, ended);
    } catch (error) {
      if (signal.aborted) endAll('cancelled', cancelReason(signal));
      else {
        this.deps.log?.warn(`Project checks failed: ${errorMessage(error)}`);
        endAll('error', `The checks could not run: ${errorMessage(error)}`);
      }
    } finally {
      await copy?.dispose();
    }
    const final = planned.flatMap((check) => results.get(check) ?? []);
    this.record(params, final, performance.now() - started);
    return final;
  }

  private async runChecks(
    params: ProjectChecksParams,
    copy: TempCopy,
    checks: PlannedCheck[],
    signal: AbortSignal,
    ended: (check: PlannedCheck, result: Omit<ProjectCheckResult, 'name' | 'kind' | 'command'>) => void,
  ): Promise<void> {
    const workspace = new WorkspaceBoundary(copy.folder);
    const decided = checks.map((check) => ({ check, decision: this.decide(check, params, workspace) }));
    // Unasked checks first: a question waiting for an answer never holds them up.
    const order = [...decided.filter((d) => d.decision.action === 'run'), ...decided.filter((d) => d.decision.action === 'ask'), ...decided.filter((d) => d.decision.action === 'deny')];
    const changed = proposalPaths(params.changeSet);
    const waitSeconds = this.deps.approvalWaitSeconds ?? CHECKS_DEFAULTS.approvalWaitSeconds;
    for (const { check, decision } of order) {
      if (decision.action === 'deny') {
        ended(check, { status: 'denied', durationMs: 0, problems: [], reason: decision.reason });
        continue;
      }
      if (signal.aborted) {
        ended(check, { status: 'cancelled', durationMs: 0, problems: [], reason: cancelReason(signal) });
        continue;
      }
      const request: RunCheckCommandParams = {
        runId: params.runId,
        name: check.name,
        kind: check.kind,
        command: check.command,
        root: copy.root,
        cwd: copy.folder,
        timeoutSeconds: check.timeoutSeconds,
        sandboxed: decision.action === 'run',
      };
      if (decision.action === 'ask') {
        const resolved = resolveCommand(check.command, copy.folder);
        request.approval = { reason: decision.reason, resolved, key: approvalKey(params.folder, check.command, resolved), waitSeconds };
      }
      const started = performance.now();
      const limitMs = (check.timeoutSeconds + (decision.action === 'ask' ? waitSeconds : 0)) * 1000 + (this.deps.graceMs ?? DEFAULT_GRACE_MS);
      const outcome = await callWithin(this.deps.client, request, signal, limitMs);
      const durationMs = Math.round(performance.now() - started);
      if (outcome === 'cancelled') {
        ended(check, { status: 'cancelled', durationMs, problems: [], reason: cancelReason(signal) });
      } else if (outcome === 'timedOut') {
        ended(check, { status: 'timedOut', durationMs, problems: [], reason: `The editor did not report the check's end within ${Math.round(limitMs / 1000)} s.` });
      } else if ('error' in outcome) {
        ended(check, { status: 'error', durationMs, problems: [], reason: `The editor could not run it: ${outcome.error}` });
      } else if (!outcome.ran) {
        ended(check, { status: outcome.status, durationMs, problems: [], reason: outcome.reason });
      } else {
        ended(check, await this.judge(outcome, check, copy, params, changed, durationMs));
      }
    }
  }

  private decide(check: PlannedCheck, params: ProjectChecksParams, workspace: WorkspaceBoundary): CommandDecision {
    const { settings } = params;
    const decision = decideCommand(check.command, {
      policy: settings.policy,
      allowCommands: settings.allowCommands,
      denyCommands: settings.denyCommands,
      sandbox: settings.sandbox,
      workspace,
    });
    // A repository's settings may name checks, never make one run unasked.
    if (decision.action === 'run' && settings.origin === 'workspace') {
      return { action: 'ask', reason: 'This check comes from the workspace settings (repository content), so it runs only after you approve it.' };
    }
    return decision;
  }

  private async judge(
    outcome: Extract<RunCheckCommandResult, { ran: true }>,
    check: PlannedCheck,
    copy: TempCopy,
    params: ProjectChecksParams,
    changed: ReadonlySet<string>,
    durationMs: number,
  ): Promise<Omit<ProjectCheckResult, 'name' | 'kind' | 'command'>> {
    const exit = outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {};
    if (outcome.cancelled) return { status: 'cancelled', durationMs, problems: [], ...exit, reason: 'Stopped.' };
    const { problems, otherProblems } = sortOutProblems(parseProblems(outcome.output), { cwd: copy.folder, aliases: [params.folder] }, changed);
    const others = otherProblems > 0 ? { otherProblems } : {};
    if (outcome.timedOut) {
      return { status: 'timedOut', durationMs, problems, ...others, ...exit, reason: `Stopped after ${check.timeoutSeconds} s.`, output: await tail(outcome.output, copy, params.folder) };
    }
    if (outcome.exitCode === 0) return { status: 'passed', durationMs, problems, ...others, ...exit };
    const reason =
      problems.length > 0
        ? undefined
        : otherProblems > 0
          ? `${otherProblems} problem${otherProblems === 1 ? '' : 's'} in files the proposal does not change.`
          : `It exited with ${outcome.exitCode ?? 'no exit code'}; no problem could be read from its output.`;
    return { status: 'failed', durationMs, problems, ...others, ...exit, ...(reason ? { reason } : {}), output: await tail(outcome.output, copy, params.folder) };
  }

  private record(params: ProjectChecksParams, results: ProjectCheckResult[], durationMs: number): void {
    const audit = this.deps.audit ?? NO_AUDIT;
    if (!audit.active || results.length === 0) return;
    audit.record({
      type: 'checks',
      actor: 'service',
      stage: 'project',
      review: params.reviewId,
      ...(params.proposalId ? { proposal: params.proposalId } : {}),
      checks: results.map((result) => ({
        name: result.name,
        kind: result.kind,
        command: result.command,
        status: result.status,
        ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
        durationMs: result.durationMs,
        problems: result.problems.length,
      })),
      durationMs: Math.round(durationMs),
    });
  }
}

type CallOutcome = RunCheckCommandResult | { error: string } | 'cancelled' | 'timedOut';

/** The client's answer, or how it did not come: cancelled with the run, or past the limit. */
async function callWithin(client: CheckClient, request: RunCheckCommandParams, signal: AbortSignal, limitMs: number): Promise<CallOutcome> {
  const call = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    call.abort('timedOut');
  }, limitMs);
  const onAbort = (): void => call.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const stopped = new Promise<'stopped'>((resolve) => call.signal.addEventListener('abort', () => resolve('stopped'), { once: true }));
    const answer = await Promise.race([client.runCommand(request, call.signal), stopped]);
    if (answer !== 'stopped') return answer;
    return timedOut ? 'timedOut' : 'cancelled';
  } catch (error) {
    if (timedOut) return 'timedOut';
    if (signal.aborted) return 'cancelled';
    return { error: errorMessage(error) };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function cancelReason(signal: AbortSignal): string {
  if (signal.reason === SUPERSEDED) return 'A newer proposal for the same review replaced this one.';
  if (signal.reason === 'shutdown') return 'The model service stopped.';
  return 'Cancelled: the proposal was decided or replaced.';
}

/** The files on the proposal's side: what it adds, updates and renames to. */
export function proposalPaths(changeSet: ChangeSet): Set<string> {
  const paths = new Set<string>();
  for (const change of changeSet.changes) {
    if (change.kind === 'add') paths.add(normalise(change.path));
    else if (change.kind === 'update') paths.add(normalise(change.moveTo ?? change.path));
  }
  return paths;
}

function normalise(relative: string): string {
  return relative.replace(/\\/g, '/').replace(/^\.\//, '');
}

/** The output's tail: control sequences removed, the copy's path shown as the workspace's, secrets redacted. */
async function tail(output: string, copy: TempCopy, folder: string): Promise<string> {
  let text = stripControl(output).split(copy.folder).join(folder);
  if (text.length > OUTPUT_TAIL_CHARS) text = `…${text.slice(-OUTPUT_TAIL_CHARS)}`;
  const findings = await findSecrets(text);
  for (const finding of [...findings].sort((a, b) => b.start - a.start)) {
    text = `${text.slice(0, finding.start)}[REDACTED:${finding.kind}]${text.slice(finding.end)}`;
  }
  return text;
}
