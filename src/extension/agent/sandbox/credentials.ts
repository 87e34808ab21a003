/**
 * Places outside the workspace a sandboxed command must not read (masked)
 * or reach (sockets that run things outside the sandbox). The rest of the
 * machine stays readable: toolchains live in the home folder too. No
 * `vscode`.
 */

/** Credential stores of common tools, relative to the home folder. Folders are masked whole. */
export const HOME_CREDENTIALS: readonly string[] = [
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.kube',
  '.docker',
  '.password-store',
  '.config/gcloud',
  '.config/gh',
  '.config/hub',
  '.config/git/credentials',
  '.config/github-copilot',
  '.config/op',
  '.config/rclone',
  '.config/heroku',
  '.config/netlify',
  '.config/configstore',
  '.git-credentials',
  '.netrc',
  '_netrc',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pypirc',
  '.pgpass',
  '.my.cnf',
  '.vault-token',
  '.s3cfg',
  '.boto',
  '.terraformrc',
  '.terraform.d/credentials.tfrc.json',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.gem/credentials',
  '.m2/settings.xml',
  '.m2/settings-security.xml',
  '.gradle/gradle.properties',
  '.huggingface',
  '.cache/huggingface/token',
  '.claude.json',
  '.claude/.credentials.json',
  '.codex/auth.json',
  '.local/share/keyrings',
  // Editors: settings, secret storage and unsaved-file backups of VS Code and its relatives.
  '.config/Code',
  '.config/Code - Insiders',
  '.config/Code - OSS',
  '.config/VSCodium',
  '.config/Cursor',
  '.vscode-server/data',
  '.vscode-remote/data',
  '.local/share/code-server',
  '.config/code-server',
  'Library/Application Support/Code',
  'Library/Application Support/Code - Insiders',
  'Library/Application Support/VSCodium',
  'Library/Application Support/Cursor',
  'Library/Keychains',
  // Browsers: cookies are sessions.
  '.mozilla',
  '.config/google-chrome',
  '.config/chromium',
  '.config/BraveSoftware',
  '.config/microsoft-edge',
  'Library/Application Support/Google/Chrome',
  'Library/Application Support/Firefox',
  'Library/Cookies',
];

/**
 * Sockets and socket folders outside /tmp (which is private in the sandbox)
 * through which a process could start something unsandboxed: the Docker
 * and container daemons, the session bus, agents. `{uid}` is the user's id.
 */
export const SOCKET_PATHS: readonly string[] = [
  '/run/user/{uid}',
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/run/containerd',
  '/run/podman',
  '/var/run/dbus',
  '/run/dbus',
  '/run/snapd.socket',
  '/run/snapd-snap.socket',
];
