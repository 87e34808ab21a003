/**
 * bubblewrap (Linux) arguments for a SandboxPlan. Pure.
 *
 * The whole file system is mounted read-only, with a fresh /dev, a /proc
 * of the command's own PID namespace (other processes, the editor's
 * environment in /proc/<pid>/environ among them, are not there), a
 * private /tmp, and no network unless the plan allows it. The workspace
 * is mounted as plan.ts describes. The command gets no capabilities
 * (bubblewrap run by root would otherwise hand them over, and with them
 * the power to unmount all of this), cannot make user namespaces of its
 * own, dies with the editor, and runs in a new session, so it cannot push
 * keystrokes into a terminal (TIOCSTI).
 */
import type { SandboxPlan } from './plan';

export interface BubblewrapFeatures {
  /** `--disable-userns` (bubblewrap 0.8 and later). */
  disableUserns: boolean;
  /** The child's file descriptor a seccomp filter is read from, if any. */
  seccompFd?: number;
}

/** Arguments after `bwrap`, ending with `--` and `command` (file and arguments). */
export function bubblewrapArgs(plan: SandboxPlan, command: readonly string[], features: BubblewrapFeatures): string[] {
  const args: string[] = [
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(plan.network ? [] : ['--unshare-net']),
    ...(features.disableUserns ? ['--disable-userns'] : []),
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--new-session',
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    '--tmpfs', '/tmp',
    // Again, for a workspace under /tmp, now hidden by the private /tmp.
    '--ro-bind', plan.root, plan.root,
  ];
  for (const entry of plan.writable) args.push('--bind', entry, entry);
  for (const entry of plan.readOnly) args.push('--ro-bind', entry, entry);
  // Outer folders before what lies in them; read-only only once all are mounted.
  const dirs = [...plan.maskDirs].sort((a, b) => a.length - b.length);
  for (const dir of dirs) args.push('--tmpfs', dir);
  for (const file of plan.maskFiles) args.push('--ro-bind', '/dev/null', file);
  for (const dir of dirs) args.push('--remount-ro', dir);
  if (features.seccompFd !== undefined) args.push('--seccomp', String(features.seccompFd));
  args.push('--chdir', plan.cwd, '--', ...command);
  return args;
}
