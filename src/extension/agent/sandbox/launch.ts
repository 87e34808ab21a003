/**
 * How one command is started: as `bash -c <text>` (processRunner.ts), on
 * its own or wrapped in the sandbox that was found (detect.ts). No `vscode`.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ProcessSpec, shellCommand } from '../processRunner';
import { removeNewProtected } from './aftermath';
import { bubblewrapArgs } from './bubblewrap';
import { planSandbox, SandboxPlanError } from './plan';
import { seatbeltArgs, seatbeltProfile } from './seatbelt';
import { type SeccompArch, unixSocketFilter } from './seccomp';

export type AvailableSandbox =
  | { kind: 'bubblewrap'; bwrap: string; disableUserns: boolean; seccomp?: SeccompArch }
  | { kind: 'seatbelt'; sandboxExec: string };

export interface LaunchRequest {
  command: string;
  /** The workspace folder: the only place the command may write. */
  workspace: string;
  /** Absolute, inside the workspace. */
  cwd: string;
  /** Scrubbed already (env.ts). */
  env: Readonly<Record<string, string>>;
  network: boolean;
  home?: string;
  /** More to mask (the editor's user-data folder). */
  extraMasks?: readonly string[];
}

export interface Launch {
  spec: ProcessSpec;
  /** Removes what the launch made (a private temporary folder). */
  dispose(): Promise<void>;
  /** Sandboxed: removes protected paths the command created (aftermath.ts); their workspace-relative paths. */
  afterRun?(): Promise<string[]>;
}

const nothing = async (): Promise<void> => undefined;

/** Unsandboxed: the text as one `bash -c` argument in the workspace. */
export function plainLaunch(command: string, cwd: string, env: Readonly<Record<string, string>>): Launch {
  const shell = shellCommand(command);
  return { spec: { ...shell, cwd, env }, dispose: nothing };
}

/** Sandboxed; throws SandboxPlanError or ScanLimitError when this workspace cannot be sandboxed. */
export async function sandboxedLaunch(sandbox: AvailableSandbox, request: LaunchRequest): Promise<Launch> {
  const shell = shellCommand(request.command);
  // The policy read the text as bash reads it; another shell could read it otherwise (dash: `&>` is a background job).
  if (!/\/bash$/.test(shell.file)) throw new SandboxPlanError('bash was not found, and commands that run without asking are read as bash reads them');
  const command = [shell.file, ...shell.args];
  const planOptions = {
    workspace: request.workspace,
    cwd: request.cwd,
    home: request.home ?? os.homedir(),
    network: request.network,
    ...(request.extraMasks ? { extraMasks: request.extraMasks } : {}),
  };
  if (sandbox.kind === 'bubblewrap') {
    const plan = await planSandbox(planOptions);
    const seccomp = sandbox.seccomp ? unixSocketFilter(sandbox.seccomp) : undefined;
    const args = bubblewrapArgs(plan, command, { disableUserns: sandbox.disableUserns, ...(seccomp ? { seccompFd: 3 } : {}) });
    // Go keeps its build cache in the (read-only) home folder.
    const env = { ...request.env, TMPDIR: '/tmp', GOCACHE: '/tmp/go-build' };
    return {
      spec: { file: sandbox.bwrap, args, cwd: plan.cwd, env, ...(seccomp ? { inputs: [seccomp] } : {}) },
      dispose: nothing,
      afterRun: () => removeNewProtected(plan.root, plan.protectedBefore),
    };
  }
  const tmpDir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-command-')));
  try {
    const plan = await planSandbox(planOptions);
    const profile = seatbeltProfile(plan, { tmpDir });
    const env = { ...request.env, TMPDIR: tmpDir, GOCACHE: path.join(tmpDir, 'go-build') };
    return {
      spec: { file: sandbox.sandboxExec, args: seatbeltArgs(profile, command), cwd: plan.cwd, env },
      dispose: () => fs.rm(tmpDir, { recursive: true, force: true }),
      afterRun: () => removeNewProtected(plan.root, plan.protectedBefore),
    };
  } catch (error) {
    await fs.rm(tmpDir, { recursive: true, force: true });
    throw error;
  }
}
