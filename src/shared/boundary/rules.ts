/**
 * The one rule set for what Tandem never reads or sends (secrets) and what it
 * never writes without asking (protected paths), used by every entry point:
 * agent tools, rules files, edit proposals, chat context, completions, the
 * CLI and the command sandbox. Matching ignores case always: a secret named
 * `.ENV` or `ID_RSA` is still a secret, and on macOS and Windows
 * `.VSCODE/settings.json` is `.vscode/settings.json`. Paths are relative to
 * the workspace root, '/'-separated. Pure.
 */
import { compileGlob, type GlobMatcher } from './glob';

/**
 * Secrets by file name (any folder). `.env` and friends, keys and
 * certificates, credential stores of common tools.
 */
export const SECRET_FILE_PATTERNS: readonly string[] = [
  '.env',
  '.env.*',
  '.envrc',
  '*.env',
  '*.pem',
  '*.key',
  '*.p8',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  '*.ppk',
  '*.kdbx',
  '*.keychain',
  '*.keychain-db',
  '*.tfstate',
  '*.tfstate.*',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.npmrc',
  '.yarnrc.yml',
  '.netrc',
  '_netrc',
  '.pypirc',
  '.pgpass',
  '.htpasswd',
  '.git-credentials',
  '.dockercfg',
  '.vault-token',
  '.boto',
  '.s3cfg',
  'credentials',
  'credentials.{json,yaml,yml,toml,ini,xml,txt,csv,enc,conf,cfg}',
  'credentials.*.{json,yaml,yml,toml,ini,xml,txt,csv,enc,conf,cfg}',
  '*.credentials',
  'secret.{json,yaml,yml,toml,ini,env,properties,txt,xml}',
  'secrets.{json,yaml,yml,toml,ini,env,properties,txt,xml}',
  '*.secret',
  '*.secrets',
  'service-account*.json',
];

/** Templates that conventionally hold no secrets (`.env.example`): not secret although they match above. */
export const SECRET_FILE_EXCEPTIONS: readonly string[] = ['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults'];

/** Folders whose whole content is secret (any depth). */
export const SECRET_FOLDERS: readonly string[] = ['.env', '.ssh', '.gnupg', '.aws', '.azure', '.kube', '.docker', '.secrets', 'secrets', '.password-store'];

/** Writing these needs the person's approval, whatever the policy (anchored at the root unless they start with `**​/`). */
export const PROTECTED_PATTERNS: readonly string[] = [
  // The editor and its workspace files: settings, tasks, launch configurations, MCP servers
  // (at any depth: a sub-folder can be a folder of a multi-root workspace).
  '**/.vscode',
  '**/.vscode/**',
  '**/*.code-workspace',
  '.idea/**',
  '.devcontainer/**',
  '.devcontainer.json',
  // Git internals, nested repositories and what git runs or reads.
  '**/.git',
  '**/.git/**',
  '**/.gitignore',
  '**/.gitattributes',
  '.gitmodules',
  '.husky/**',
  '.pre-commit-config.yaml',
  'lefthook.yml',
  // CI.
  '.github/**',
  '.gitlab-ci.yml',
  '.gitlab/**',
  '.circleci/**',
  'azure-pipelines.yml',
  '.azure-pipelines/**',
  'bitbucket-pipelines.yml',
  '.travis.yml',
  '.buildkite/**',
  '.drone.yml',
  'Jenkinsfile',
  // Rules and settings of coding agents (Tandem's and others').
  '.tandemignore',
  '.tandem/**',
  '**/AGENTS.md',
  '**/AGENT.md',
  '**/CLAUDE.md',
  '.claude/**',
  '**/GEMINI.md',
  '**/.cursorrules',
  '.cursor/**',
  '.windsurfrules',
  '.windsurf/**',
  '**/.clinerules',
  '.clinerules/**',
  '.roo/**',
  '.roorules',
  '.roomodes',
  '.continue/**',
  '.continuerules',
  '.aider*',
  '.github/copilot-instructions.md',
];

/** Characters that end a glob's fixed start or begin its fixed end (see `ruleGlob`). */
const GLOB_SPECIAL = '*?[]{}\\';

/**
 * One of the rules' globs (anchored, case ignored), compiled only when a path
 * first has its fixed start and end: every process that decides a path used
 * to compile all the rules (brace expansion, tokens), which was a measurable
 * part of each `tandem apply-patch` run, while a path like `src/a.ts` passes
 * the fixed parts of two. Both checks are necessary conditions, so the answer
 * is the compiled glob's. A `/` right after a `*` is left out of the fixed
 * end: in `**​/x` it belongs to the `**​/` (zero or more folders).
 */
export function ruleGlob(glob: string): GlobMatcher {
  const lower = glob.toLowerCase();
  let first = 0;
  while (first < lower.length && !GLOB_SPECIAL.includes(lower[first] ?? '')) first++;
  let last = lower.length - 1;
  while (last >= 0 && !GLOB_SPECIAL.includes(lower[last] ?? '')) last--;
  const prefix = lower.slice(0, first);
  let suffix = last < 0 ? lower : lower.slice(last + 1);
  if (last >= 0 && lower[last] === '*' && suffix.startsWith('/')) suffix = suffix.slice(1);
  let compiled: GlobMatcher | undefined;
  return {
    source: glob,
    test(path: string): boolean {
      const subject = path.toLowerCase();
      if (!subject.startsWith(prefix) || !subject.endsWith(suffix)) return false;
      // Compiled from the lowercased glob for the lowercased path: the same as ignoring case, without lowering the path again.
      compiled ??= compileGlob(lower, { anchored: true });
      return compiled.test(subject);
    },
  };
}

const secretFiles = SECRET_FILE_PATTERNS.map(ruleGlob);
const secretExceptions = new Set(SECRET_FILE_EXCEPTIONS);
const secretFolders = new Set(SECRET_FOLDERS);
const protectedPaths: GlobMatcher[] = PROTECTED_PATTERNS.map(ruleGlob);

function names(relative: string): string[] {
  return relative.split('/').filter((part) => part !== '' && part !== '.');
}

/** Whether a single file or folder name is a secret file's name. */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (secretExceptions.has(lower)) return false;
  return secretFiles.some((glob) => glob.test(lower));
}

/**
 * Whether `relative` is a secret or lies in a secret folder: its own name, or
 * any folder on the way (a folder `.env/`, `.aws/credentials`).
 */
export function isSecretPath(relative: string): boolean {
  const parts = names(relative.replaceAll('\\', '/'));
  if (parts.length === 0) return false;
  for (let i = 0; i < parts.length - 1; i++) {
    if (secretFolders.has((parts[i] ?? '').toLowerCase())) return true;
  }
  const last = parts.at(-1) ?? '';
  return secretFolders.has(last.toLowerCase()) || isSecretName(last);
}

/** Whether writing `relative` needs the person's approval whatever the policy. */
export function isProtectedPath(relative: string): boolean {
  const clean = names(relative.replaceAll('\\', '/')).join('/');
  if (clean === '') return false;
  return protectedPaths.some((glob) => glob.test(clean));
}
