/**
 * The settings' defaults, declared once. The service falls back to them when
 * a client leaves a value out (any LSP client, not only VS Code); the
 * extension falls back to them when a value is unusable; package.json
 * declares the same values for VS Code's settings UI, and
 * test/unit/settingsManifest.test.ts fails when the two drift.
 * Plain data only (see vocabulary.ts).
 */
import type { CompletionSettings, DataBoundarySettings } from './protocol';
import type { ApprovalPolicy, AuditContents } from './vocabulary';

/** `tandem.requestTimeout` (seconds without any bytes), `tandem.maxRetries`, `tandem.logContents`. */
export const SERVICE_DEFAULTS: Readonly<{ requestTimeout: number; maxRetries: number; logContents: boolean }> = {
  requestTimeout: 60,
  maxRetries: 2,
  logContents: false,
};

/** `tandem.dataBoundary.*`: off by default (a cloud endpoint is the common setup); teams turn it on. */
export const DATA_BOUNDARY_DEFAULTS: Readonly<DataBoundarySettings> = { localOnly: false };

/** `tandem.completions.*` as the service resolves them. */
export const DEFAULT_COMPLETION_SETTINGS: Readonly<CompletionSettings> = { baseUrl: '', template: 'auto', debounceMs: 75, maxLines: 12 };

/** `tandem.completions.enable`: languages where ghost text gets in the way more than it helps, unless the person says otherwise. */
export const DEFAULT_COMPLETIONS_ENABLE: Readonly<Record<string, boolean>> = { '*': true, plaintext: false, markdown: false, scminput: false };

/**
 * `tandem.audit.*`: on by default; `directory` '' = where the client says
 * (VS Code: the workspace's storage), else `TANDEM_AUDIT_DIR`, else the
 * user's state folder; proposals' diffs kept, prompts and answers not.
 */
export const AUDIT_DEFAULTS: Readonly<{ enabled: boolean; directory: string; contents: AuditContents }> = {
  enabled: true,
  directory: '',
  contents: 'diffs',
};

/** `tandem.telemetry.*`: nothing is exported unless the person names a collector. */
export const TELEMETRY_DEFAULTS: Readonly<{ otlpEndpoint: string }> = {
  otlpEndpoint: '',
};

/**
 * `tandem.checks`: `null` = find the project's checks (tsc, the lint
 * script, the test script); each check's timeout unless it names its own;
 * how long a check that asks waits for an answer before it is left
 * `needsApproval` (docs/checks.md, "Project checks").
 */
export const CHECKS_DEFAULTS: Readonly<{ checks: null; timeoutSeconds: number; approvalWaitSeconds: number }> = {
  checks: null,
  timeoutSeconds: 120,
  approvalWaitSeconds: 60,
};

/** `tandem.metrics.*`: no prices of the person's own; the built-in list prices apply (src/server/services/metrics/prices.ts). */
/** MCP servers (docs/mcp.md): the person's own servers (VS Code's mcp.json shape) and tools allowed without asking. */
export const MCP_DEFAULTS: Readonly<{ servers: Readonly<Record<string, never>>; alwaysAllow: readonly string[] }> = {
  servers: {},
  alwaysAllow: [],
};

export const METRICS_DEFAULTS: Readonly<{ prices: Readonly<Record<string, { input: number; output: number }>> }> = {
  prices: {},
};

/** `tandem.agent.*` (the command lists are below). */
export interface AgentDefaults {
  approvalPolicy: ApprovalPolicy;
  maxSteps: number;
  maxTokens: number;
  testCommand: string;
  commandTimeout: number;
  maxToolCallsPerTurn: number;
  /** `tandem.agent.sandbox.allowNetwork`. */
  allowNetwork: boolean;
}

export const AGENT_DEFAULTS: Readonly<AgentDefaults> = {
  approvalPolicy: 'ask',
  maxSteps: 25,
  maxTokens: 200_000,
  testCommand: '',
  commandTimeout: 120,
  maxToolCallsPerTurn: 8,
  allowNetwork: false,
};

/**
 * Refused without asking unless the person's settings say otherwise.
 * `rm -r` covers `-rf`, `-R`, `--recursive`; `git config` can make later
 * git commands run programs; `kill -1` signals every process.
 */
export const DEFAULT_DENY_COMMANDS: readonly string[] = [
  'rm -r',
  'sudo',
  'su',
  'doas',
  'pkexec',
  'git push',
  'git reset --hard',
  'git clean -f',
  'git config',
  'find -delete',
  'mkfs',
  'dd',
  'shutdown',
  'reboot',
  'halt',
  'poweroff',
  'chmod -R',
  'chown -R',
  'kill -1',
  'npm publish',
  'pnpm publish',
  'yarn publish',
  'cargo publish',
  'curl | sh',
  'curl | bash',
  'wget | sh',
  'wget | bash',
];

/** Run without asking under `full-auto` (in the sandbox): tests, builds, read-only git and file tools. */
export const DEFAULT_ALLOW_COMMANDS: readonly string[] = [
  'npm test',
  'npm run test',
  'npm run build',
  'npm run lint',
  'pnpm test',
  'yarn test',
  'npx tsc',
  'node --test',
  'pytest',
  'python -m pytest',
  'python3 -m pytest',
  'go test',
  'go build',
  'go vet',
  'cargo test',
  'cargo build',
  'cargo check',
  'git status',
  'git diff',
  'git log',
  'git show',
  'git branch',
  'git rev-parse',
  'git ls-files',
  'ls',
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'rg',
  'pwd',
  'echo',
];

/** `tandem.codebase.*`: hybrid ranking is off until the person turns it on (it sends every indexed chunk to the endpoint). */
export const CODEBASE_DEFAULTS: Readonly<{ embeddings: boolean; embeddingsModel: string }> = { embeddings: false, embeddingsModel: 'text-embedding-3-small' };

/** `tandem.embedded.*`: the built-in model (a local GGUF run inside the service); '' = none set. */
export const EMBEDDED_DEFAULTS: Readonly<{ modelPath: string; idleUnloadMinutes: number }> = { modelPath: '', idleUnloadMinutes: 10 };
