import type { AuditPolicy } from '../shared/audit';
import { AGENT_DEFAULTS, AUDIT_DEFAULTS, CODEBASE_DEFAULTS, DATA_BOUNDARY_DEFAULTS, DEFAULT_ALLOW_COMMANDS, DEFAULT_COMPLETION_SETTINGS, DEFAULT_DENY_COMMANDS, EMBEDDED_DEFAULTS, SERVICE_DEFAULTS, TELEMETRY_DEFAULTS } from '../shared/defaults';
import { isRecord } from '../shared/guards';
import type { CompletionSettings, DataBoundarySettings, ServiceStatusParams, TandemSettings } from '../shared/protocol';
import { isApprovalPolicy, isAuditContents, isCompletionTemplate, type AuditContents } from '../shared/vocabulary';

export type SettingsSource = ServiceStatusParams['source'];

export interface ResolvedSettings {
  settings: TandemSettings;
  /** Where the connection settings (endpoint, model, key) came from. */
  source: SettingsSource;
  /** `tandem.audit.*` (the folder: the setting's value, '' = decided by the audit service). */
  audit: AuditSettings;
  /** `tandem.agent.*` as the settings give them, for the audit (each agent task brings its own). */
  policy: AuditPolicy;
  /** `tandem.telemetry.*`: where the audit events and metrics are exported (OTLP/HTTP), if anywhere. */
  telemetry: TelemetrySettings;
  /** `tandem.codebase.*`: whether chunks are embedded for hybrid ranking, and by which model. */
  codebase: CodebaseSettings;
  /** The built-in model, when it answers instead of an endpoint (then `settings.baseUrl` is EMBEDDED_BASE_URL). */
  embedded?: EmbeddedSelection;
}

/** Which local GGUF the service runs itself, and why it was chosen. */
export interface EmbeddedSelection {
  modelPath: string;
  /** The file name without `.gguf`: the model's name in the status, logs and the audit trail. */
  name: string;
  /** `settings`: tandem.embedded.modelPath; `environment`: TANDEM_EMBEDDED_MODEL; `builtIn`: the downloaded catalogue model, used when no endpoint is configured. */
  origin: 'settings' | 'environment' | 'builtIn';
  /** 0: never unloaded. */
  idleUnloadMinutes: number;
}

export interface CodebaseSettings {
  embeddings: boolean;
  embeddingsModel: string;
}

export interface TelemetrySettings {
  /** Base URL of an OTLP/HTTP collector (`/v1/logs` and `/v1/metrics` are added); '' = off. */
  otlpEndpoint: string;
}

export interface AuditSettings {
  enabled: boolean;
  directory: string;
  contents: AuditContents;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * The "endpoint" of the built-in model: requests to it never leave the
 * process (the wiring routes them to the embedded provider), and the audit
 * trail records its host, `embedded`. Not http: a path that forgot to route
 * it fails at once instead of reaching some port on this machine.
 */
export const EMBEDDED_BASE_URL = 'tandem://embedded';

export function isEmbeddedEndpoint(url: string | undefined): boolean {
  return url === EMBEDDED_BASE_URL;
}

const DEBOUNCE_RANGE = { min: 0, max: 2000 };
const MAX_LINES_RANGE = { min: 1, max: 200 };
const TIMEOUT_RANGE = { min: 1, max: 3600 };
const RETRIES_RANGE = { min: 0, max: 10 };
const IDLE_UNLOAD_RANGE = { min: 0, max: 1440 };

/**
 * Combines the client's answer to workspace/configuration (untrusted JSON: any
 * value of the wrong type is ignored) with the environment. Every connection
 * value that is missing or empty in the client's answer falls back to its
 * environment variable. Pure.
 */
export function resolveSettings(fromClient: unknown, env: NodeJS.ProcessEnv): ResolvedSettings {
  const client = isRecord(fromClient) ? fromClient : {};
  let usedClient = false;
  let usedEnv = false;
  const pick = (key: string, envName: string): string => {
    const own = nonEmptyString(client[key]);
    if (own !== undefined) {
      usedClient = true;
      return own;
    }
    const fromEnv = nonEmptyString(env[envName]);
    if (fromEnv !== undefined) {
      usedEnv = true;
      return fromEnv;
    }
    return '';
  };

  const baseUrl = pick('baseUrl', 'OPENAI_BASE_URL').replace(/\/+$/, '');
  const apiKey = pick('apiKey', 'OPENAI_API_KEY');
  const model = pick('model', 'TANDEM_MODEL');
  const completionModel = pick('completionModel', 'TANDEM_COMPLETION_MODEL') || model;

  const settings: TandemSettings = {
    baseUrl,
    model,
    completionModel,
    apiKey,
    logContents: typeof client.logContents === 'boolean' ? client.logContents : SERVICE_DEFAULTS.logContents,
    requestTimeout: clampNumber(client.requestTimeout, TIMEOUT_RANGE, SERVICE_DEFAULTS.requestTimeout),
    maxRetries: Math.floor(clampNumber(client.maxRetries, RETRIES_RANGE, SERVICE_DEFAULTS.maxRetries)),
    completions: resolveCompletionSettings(client.completions),
    dataBoundary: resolveDataBoundarySettings(client.dataBoundary),
  };
  let source: SettingsSource = usedClient && usedEnv ? 'mixed' : usedClient ? 'settings' : usedEnv ? 'environment' : 'none';
  const embedded = resolveEmbedded(client.embedded, env, effectiveBaseUrl(settings) !== undefined);
  if (embedded) {
    // Every purpose goes to the built-in model; it fills in the middle with its own tokens (prefix and suffix apart).
    settings.baseUrl = EMBEDDED_BASE_URL;
    settings.model = embedded.name;
    settings.completionModel = embedded.name;
    settings.completions = { ...settings.completions, baseUrl: '', template: 'suffix' };
    source = 'embedded';
  }
  return {
    settings,
    source,
    audit: resolveAuditSettings(client.audit, env),
    policy: resolvePolicy(client.agent),
    telemetry: resolveTelemetrySettings(client.telemetry, env),
    codebase: resolveCodebaseSettings(client.codebase),
    ...(embedded ? { embedded } : {}),
  };
}

/**
 * The built-in model, if it answers: `tandem.embedded.modelPath`, else
 * `TANDEM_EMBEDDED_MODEL`, else, when no endpoint is configured, the
 * downloaded catalogue model the client names (`builtInModelPath`). `~/`
 * is the home folder. Pure.
 */
export function resolveEmbedded(value: unknown, env: NodeJS.ProcessEnv, endpointConfigured: boolean): EmbeddedSelection | undefined {
  const given = isRecord(value) ? value : {};
  const idleUnloadMinutes = clampNumber(given.idleUnloadMinutes, IDLE_UNLOAD_RANGE, EMBEDDED_DEFAULTS.idleUnloadMinutes);
  const chosen: Array<[string | undefined, EmbeddedSelection['origin']]> = [
    [nonEmptyString(given.modelPath), 'settings'],
    [nonEmptyString(env.TANDEM_EMBEDDED_MODEL), 'environment'],
    [endpointConfigured ? undefined : nonEmptyString(given.builtInModelPath), 'builtIn'],
  ];
  for (const [path, origin] of chosen) {
    if (path === undefined) continue;
    const modelPath = expandHome(path, env);
    const name = (modelPath.split(/[\\/]/).pop() ?? '').replace(/\.gguf$/i, '') || 'model';
    return { modelPath, name, origin, idleUnloadMinutes };
  }
  return undefined;
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME ?? env.USERPROFILE;
  return home && /^~(?=$|[\\/])/.test(path) ? home + path.slice(1) : path;
}

/** `tandem.codebase.*`: a value of the wrong type falls back to its default. Pure. */
export function resolveCodebaseSettings(value: unknown): CodebaseSettings {
  const given = isRecord(value) ? value : {};
  return {
    embeddings: typeof given.embeddings === 'boolean' ? given.embeddings : CODEBASE_DEFAULTS.embeddings,
    embeddingsModel: nonEmptyString(given.embeddingsModel)?.trim() ?? CODEBASE_DEFAULTS.embeddingsModel,
  };
}

/**
 * `tandem.telemetry.*`: an empty or missing endpoint falls back to
 * `TANDEM_OTLP_ENDPOINT`, then to off. Trailing slashes are dropped (the
 * signal paths are appended). Whether it is a usable URL is the exporter's
 * to say (once, in the log). Pure.
 */
export function resolveTelemetrySettings(value: unknown, env: NodeJS.ProcessEnv): TelemetrySettings {
  const given = isRecord(value) ? value : {};
  const endpoint = nonEmptyString(given.otlpEndpoint) ?? nonEmptyString(env.TANDEM_OTLP_ENDPOINT) ?? TELEMETRY_DEFAULTS.otlpEndpoint;
  return { otlpEndpoint: endpoint.trim().replace(/\/+$/, '') };
}

/**
 * `tandem.audit.*`, each value of the wrong type falling back to its
 * environment variable (`TANDEM_AUDIT=off`, `TANDEM_AUDIT_CONTENTS`), then
 * to its default. Pure.
 */
export function resolveAuditSettings(value: unknown, env: NodeJS.ProcessEnv): AuditSettings {
  const given = isRecord(value) ? value : {};
  const envSwitch = nonEmptyString(env.TANDEM_AUDIT)?.toLowerCase();
  const envEnabled = envSwitch === undefined ? undefined : !['0', 'off', 'false', 'no'].includes(envSwitch);
  const envContents = nonEmptyString(env.TANDEM_AUDIT_CONTENTS)?.toLowerCase();
  return {
    enabled: typeof given.enabled === 'boolean' ? given.enabled : (envEnabled ?? AUDIT_DEFAULTS.enabled),
    directory: nonEmptyString(given.directory) ?? AUDIT_DEFAULTS.directory,
    contents: isAuditContents(given.contents) ? given.contents : isAuditContents(envContents) ? envContents : AUDIT_DEFAULTS.contents,
  };
}

/** `tandem.agent.*` as a client sends them (VS Code: the user's values), defaults for what is missing. Pure. */
export function resolvePolicy(value: unknown): AuditPolicy {
  const given = isRecord(value) ? value : {};
  const sandbox = isRecord(given.sandbox) ? given.sandbox : {};
  const strings = (list: unknown, fallback: readonly string[]): string[] =>
    Array.isArray(list) ? list.filter((entry): entry is string => typeof entry === 'string') : [...fallback];
  const count = (entry: unknown, fallback: number): number => (typeof entry === 'number' && Number.isFinite(entry) && entry > 0 ? entry : fallback);
  return {
    approvalPolicy: isApprovalPolicy(given.approvalPolicy) ? given.approvalPolicy : AGENT_DEFAULTS.approvalPolicy,
    allowCommands: strings(given.allowCommands, DEFAULT_ALLOW_COMMANDS),
    denyCommands: strings(given.denyCommands, DEFAULT_DENY_COMMANDS),
    allowNetwork: typeof sandbox.allowNetwork === 'boolean' ? sandbox.allowNetwork : AGENT_DEFAULTS.allowNetwork,
    maxSteps: count(given.maxSteps, AGENT_DEFAULTS.maxSteps),
    maxTokens: count(given.maxTokens, AGENT_DEFAULTS.maxTokens),
    commandTimeout: count(given.commandTimeout, AGENT_DEFAULTS.commandTimeout),
    maxToolCallsPerTurn: count(given.maxToolCallsPerTurn, AGENT_DEFAULTS.maxToolCallsPerTurn),
  };
}

/** `tandem.completions.*`: each value of the wrong type falls back to its default. Pure. */
export function resolveCompletionSettings(value: unknown): CompletionSettings {
  const given = isRecord(value) ? value : {};
  const template = isCompletionTemplate(given.template) ? given.template : DEFAULT_COMPLETION_SETTINGS.template;
  return {
    baseUrl: (nonEmptyString(given.baseUrl) ?? '').replace(/\/+$/, ''),
    template,
    debounceMs: Math.round(clampNumber(given.debounceMs, DEBOUNCE_RANGE, DEFAULT_COMPLETION_SETTINGS.debounceMs)),
    maxLines: Math.floor(clampNumber(given.maxLines, MAX_LINES_RANGE, DEFAULT_COMPLETION_SETTINGS.maxLines)),
  };
}

/** `tandem.dataBoundary.*`: a value of the wrong type falls back to its default. Pure. */
export function resolveDataBoundarySettings(value: unknown): DataBoundarySettings {
  const given = isRecord(value) ? value : {};
  return { localOnly: typeof given.localOnly === 'boolean' ? given.localOnly : DATA_BOUNDARY_DEFAULTS.localOnly };
}

/**
 * The endpoint requests go to: the configured base URL, else OpenAI when a key
 * is present, else none (not configured).
 */
export function effectiveBaseUrl(settings: Pick<TandemSettings, 'baseUrl' | 'apiKey'>): string | undefined {
  if (settings.baseUrl) {
    return settings.baseUrl;
  }
  return settings.apiKey ? OPENAI_BASE_URL : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

function clampNumber(value: unknown, range: { min: number; max: number }, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(range.max, Math.max(range.min, value));
}
