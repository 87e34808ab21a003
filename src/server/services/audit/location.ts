/**
 * Where the audit trail is written when `tandem.audit.directory` is empty:
 * the folder the client names (VS Code: the workspace's storage), else
 * `TANDEM_AUDIT_DIR`, else the user's state folder. Only `env` is read (never
 * the process's own environment), so a caller that passes no home has no
 * default folder and the trail reports that instead of writing somewhere
 * unexpected. Pure.
 */
import path from 'node:path';

export function defaultAuditDirectory(clientDirectory: string | undefined, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  if (clientDirectory) return clientDirectory;
  if (env.TANDEM_AUDIT_DIR) return env.TANDEM_AUDIT_DIR;
  return userStateDirectory(env, platform);
}

/** `<state>/tandem/audit`: XDG_STATE_HOME (or ~/.local/state), ~/Library/Application Support on macOS, %LOCALAPPDATA% on Windows. */
export function userStateDirectory(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA ?? (env.USERPROFILE ? join(env.USERPROFILE, 'AppData', 'Local') : undefined);
    return base ? join(base, 'Tandem', 'audit') : undefined;
  }
  if (platform === 'darwin') {
    return env.HOME ? join(env.HOME, 'Library', 'Application Support', 'Tandem', 'audit') : undefined;
  }
  const state = env.XDG_STATE_HOME ?? (env.HOME ? join(env.HOME, '.local', 'state') : undefined);
  return state ? join(state, 'tandem', 'audit') : undefined;
}

/** Where `directory` (the setting) points: `~` expanded, relative paths taken from the home folder. */
export function expandDirectory(directory: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME ?? env.USERPROFILE ?? '';
  if (directory === '~') return home;
  if (directory.startsWith('~/') || directory.startsWith('~\\')) return path.join(home, directory.slice(2));
  return path.isAbsolute(directory) || !home ? directory : path.join(home, directory);
}
