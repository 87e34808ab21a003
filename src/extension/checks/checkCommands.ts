import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as vscode from 'vscode';
import { isRecord } from '../../shared/guards';
import type { RunCheckCommandParams, RunCheckCommandResult } from '../../shared/projectChecksProtocol';
import type { CommandOutcome, CommandRequest } from '../agent/commandRunner';
import type { ApprovalMemory, CheckApprover } from './approvalMemory';

export interface CheckCommandDeps {
  /** Runs a process (CommandRunner: the Tandem Agent terminal, the OS sandbox). */
  run(request: CommandRequest): Promise<CommandOutcome>;
  approver: CheckApprover;
  memory: ApprovalMemory;
  isTrusted(): boolean;
}

/** The service's temporary copies are made here (services/checks/project/tempCopy.ts). */
const COPY_PREFIX = 'tandem-checks-';

/**
 * tandem/checks/runCommand: runs one check's command in the service's
 * temporary copy. Refuses in an untrusted workspace, and anywhere but a
 * temporary copy (a check never runs in the person's folder, whatever the
 * service asks). A command the policy asks about runs only after "Run", or
 * "Always for This Workspace" now or before; it then runs as approved,
 * outside the sandbox, as the agent's approved commands do.
 */
export async function runCheckCommand(params: RunCheckCommandParams, token: vscode.CancellationToken, deps: CheckCommandDeps): Promise<RunCheckCommandResult> {
  if (!deps.isTrusted()) return { ran: false, status: 'skipped', reason: 'This workspace is not trusted (Restricted Mode): Tandem runs no project checks in it.' };
  const place = checkPlace(params);
  if (typeof place === 'string') return { ran: false, status: 'error', reason: place };
  let sandboxed = params.sandboxed;
  if (params.approval) {
    sandboxed = false;
    if (!deps.memory.has(params.approval.key)) {
      const answer = await deps.approver.ask({ ...params, approval: params.approval }, token);
      if (token.isCancellationRequested) return { ran: false, status: 'needsApproval', reason: 'Cancelled before it was approved.' };
      if (answer === 'always') await deps.memory.remember(params.approval.key);
      else if (answer === 'skip') return { ran: false, status: 'needsApproval', reason: `You skipped it. ${params.approval.reason}` };
      else if (answer !== 'run') return { ran: false, status: 'needsApproval', reason: `Not approved within ${params.approval.waitSeconds} s. ${params.approval.reason}` };
    }
  }
  const outcome = await deps.run({ command: params.command, cwd: place.cwd, root: place.root, timeoutSeconds: params.timeoutSeconds, sandboxed, token });
  if (!outcome.ran) return { ran: false, status: 'error', reason: `It could not run in the sandbox: ${outcome.reason}` };
  return { ran: true, ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}), output: outcome.output, timedOut: outcome.timedOut, cancelled: outcome.cancelled };
}

/** The copy's root and the folder inside it, when the request names a temporary copy; else why not. */
export function checkPlace(params: unknown, tmpDir = os.tmpdir()): { root: string; cwd: string } | string {
  if (!isRecord(params) || typeof params.root !== 'string' || typeof params.cwd !== 'string' || typeof params.command !== 'string' || typeof params.timeoutSeconds !== 'number') {
    return 'The request to run a check is malformed.';
  }
  let root: string;
  let cwd: string;
  let tmp: string;
  try {
    root = realpathSync.native(params.root);
    cwd = realpathSync.native(params.cwd);
    tmp = realpathSync.native(tmpDir);
  } catch {
    return 'The temporary copy for the check is gone.';
  }
  const copy = path.relative(tmp, root).split(path.sep);
  if (copy.length < 1 || !copy[0]?.startsWith(COPY_PREFIX) || copy.includes('..') || path.isAbsolute(path.relative(tmp, root))) {
    return 'Tandem runs project checks only in its temporary copies, never in another folder.';
  }
  const inside = path.relative(root, cwd);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return 'The check would run outside its temporary copy.';
  return { root, cwd };
}
