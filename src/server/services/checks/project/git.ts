/**
 * Tandem's own git plumbing for the temporary copy (never a command of the
 * model or the repository): fixed arguments, no shell, and the repository's
 * configuration kept from running anything — hooks point at an empty
 * folder, no fsmonitor, no prompts, no optional locks.
 */
import { execFile } from 'node:child_process';

export interface GitOptions {
  /** The git program (tests: a missing one). */
  git?: string;
  /** An empty folder: `core.hooksPath`, so no hook of the repository runs. */
  noHooks: string;
  signal?: AbortSignal;
}

const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export async function git(cwd: string, args: readonly string[], options: GitOptions): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_CONFIG_NOSYSTEM: '1' };
  // Inherited from a parent git (a hook that started the editor): they would point these commands elsewhere.
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR', 'GIT_CEILING_DIRECTORIES']) delete env[name];
  const safe = ['-c', `core.hooksPath=${options.noHooks}`, '-c', 'core.fsmonitor=false', '-c', 'core.pager=cat', '-c', 'advice.detachedHead=false'];
  return new Promise((resolve, reject) => {
    execFile(
      options.git ?? 'git',
      [...safe, ...args],
      { cwd, env, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8', windowsHide: true, ...(options.signal ? { signal: options.signal } : {}) },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args[0] ?? ''}: ${(stderr || error.message).trim().split('\n')[0] ?? ''}`));
        else resolve(stdout);
      },
    );
  });
}

/** NUL-separated output as a list. */
export function nulList(output: string): string[] {
  return output.split('\0').filter((entry) => entry !== '');
}
