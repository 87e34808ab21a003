/**
 * The environment an agent command runs with. Its output goes to the model,
 * so nothing that looks like a credential may reach it: variables whose
 * name says secret (`*_TOKEN`, `*_KEY`, `*PASSWORD*`, `AWS_*` …) or whose
 * value looks like one (a URL with a password, a known token prefix) are
 * dropped, as are the editor's own IPC handles (which reach VS Code and
 * its git credential helper). Pagers and prompts are turned off: the
 * command has no terminal to answer on. Pure.
 */

/** Names of credentials, matched case-insensitively on the whole name. */
const SECRET_NAME_PATTERNS: readonly RegExp[] = [
  /SECRET/i,
  /PASSWORD/i,
  /PASSWD/i,
  /PASSPHRASE/i,
  /TOKEN/i,
  /CREDENTIAL/i,
  /API_?KEY/i,
  /ACCESS_?KEY/i,
  /PRIVATE_?KEY/i,
  /(^|_)KEYS?($|_)/i,
  /(^|_)PAT$/i,
  /PASS$/i,
  /(^|_)PWD$/i,
  /(^|_)DSN$/i,
  /COOKIE/i,
  /SESSION/i,
  /(^|_)AUTH($|_)/i,
  /^AWS_/i,
  /^AZURE_CLIENT_/i,
  /^SSH_AUTH_SOCK$/i,
  /^SSH_AGENT_PID$/i,
  /^GPG_AGENT_INFO$/i,
  /^XAUTHORITY$/i,
];

/**
 * Not secrets, but not the command's business either: the editor's IPC
 * handles and askpass helpers (they reach VS Code and its git credentials),
 * and what makes a non-interactive shell run or trace more than the text.
 */
const EDITOR_NAME_PATTERNS: readonly RegExp[] = [
  /^VSCODE_/i,
  /^ELECTRON_/i,
  /^CODE_SERVER_/i,
  /^TANDEM_/i,
  /^GIT_ASKPASS$/i,
  /^SSH_ASKPASS/i,
  /^SUDO_ASKPASS$/i,
  /^BASH_ENV$/,
  /^ENV$/,
  /^SHELLOPTS$/,
  /^BASHOPTS$/,
  /^BASH_FUNC_/,
  /^PROMPT_COMMAND$/,
];

/** Values that are credentials whatever the variable is called. */
const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  // scheme://user:password@host
  /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
  /\bsk-[A-Za-z0-9_-]{16,}/,
  /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\bglpat-[A-Za-z0-9_-]{16,}/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  /\bnpm_[A-Za-z0-9]{30,}/,
  /\b(AKIA|ASIA)[A-Z0-9]{16}\b/,
  /\bAIza[A-Za-z0-9_-]{30,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

/** What every agent command gets: no pager, no prompt, no editor, no colours it would wait on. */
export const NON_INTERACTIVE: Readonly<Record<string, string>> = {
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  MANPAGER: 'cat',
  SYSTEMD_PAGER: '',
  LESS: 'FRX',
  GIT_TERMINAL_PROMPT: '0',
  GIT_EDITOR: 'true',
  EDITOR: 'true',
  VISUAL: 'true',
  GCM_INTERACTIVE: 'never',
  DEBIAN_FRONTEND: 'noninteractive',
  PIP_NO_INPUT: '1',
  npm_config_yes: 'false',
  NPM_CONFIG_UPDATE_NOTIFIER: 'false',
};

export function isSecretVariable(name: string, value: string | undefined): boolean {
  // PWD and OLDPWD are the working directory, not a password.
  if (/^(OLD)?PWD$/i.test(name)) return false;
  if (SECRET_NAME_PATTERNS.some((pattern) => pattern.test(name))) return true;
  return value !== undefined && SECRET_VALUE_PATTERNS.some((pattern) => pattern.test(value));
}

function isEditorVariable(name: string): boolean {
  return EDITOR_NAME_PATTERNS.some((pattern) => pattern.test(name));
}

/**
 * `base` (the extension host's environment) without secrets and editor
 * handles, plus NON_INTERACTIVE and `extra` (which win).
 */
export function commandEnvironment(base: NodeJS.ProcessEnv, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || isSecretVariable(name, value) || isEditorVariable(name)) continue;
    env[name] = value;
  }
  return { ...env, ...NON_INTERACTIVE, ...extra };
}
