import { DATA_BOUNDARY_DEFAULTS, DEFAULT_COMPLETION_SETTINGS, SERVICE_DEFAULTS } from '../shared/defaults';
import { isRecord } from '../shared/guards';
import type { CompletionSettings, DataBoundarySettings, ServiceStatusParams, TandemSettings } from '../shared/protocol';
import { isCompletionTemplate } from '../shared/vocabulary';

export type SettingsSource = ServiceStatusParams['source'];

export interface ResolvedSettings {
  settings: TandemSettings;
  /** Where the connection settings (endpoint, model, key) came from. */
  source: SettingsSource;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

const DEBOUNCE_RANGE = { min: 0, max: 2000 };
const MAX_LINES_RANGE = { min: 1, max: 200 };
const TIMEOUT_RANGE = { min: 1, max: 3600 };
const RETRIES_RANGE = { min: 0, max: 10 };

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
  const source: SettingsSource = usedClient && usedEnv ? 'mixed' : usedClient ? 'settings' : usedEnv ? 'environment' : 'none';
  return { settings, source };
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
