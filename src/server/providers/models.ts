import type { ListModelsResult, ModelInfo } from '../../shared/protocol';
import { displayUrl } from '../redact';
import { builtInModelOffer } from '../util/builtInOffer';
import { effectiveBaseUrl, isEmbeddedEndpoint, type ResolvedSettings } from '../settings';
import { createClient } from './client';
import { toChatError } from './errors';

export const LIST_MODELS_TIMEOUT_MS = 10_000;

/** GET {baseUrl}/models through the SDK. Rejects with the SDK's errors. */
export async function fetchModels(baseUrl: string, apiKey: string, timeoutMs: number, signal?: AbortSignal): Promise<ModelInfo[]> {
  const client = createClient({ baseUrl, apiKey, timeoutMs });
  const page = await client.models.list({ signal, timeout: Math.max(1, Math.round(timeoutMs)) });
  const models: ModelInfo[] = [];
  for (const entry of page.data as unknown[]) {
    const id: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'id') : undefined;
    const ownedBy: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'owned_by') : undefined;
    if (typeof id === 'string' && id !== '') {
      models.push(typeof ownedBy === 'string' && ownedBy !== '' ? { id, ownedBy } : { id });
    }
  }
  return models;
}

/** Model ids the endpoint offers, or undefined when they cannot be had quickly. Never rejects. */
export async function tryFetchModelIds(baseUrl: string, apiKey: string, signal?: AbortSignal, timeoutMs = 3_000): Promise<string[] | undefined> {
  try {
    return (await fetchModels(baseUrl, apiKey, timeoutMs, signal)).map((model) => model.id);
  } catch {
    return undefined;
  }
}

/** The tandem/listModels answer: the models, or a worded error. */
export async function listModels({ settings }: ResolvedSettings, signal?: AbortSignal): Promise<ListModelsResult> {
  const baseUrl = effectiveBaseUrl(settings);
  if (!baseUrl) {
    return {
      baseUrl: '',
      models: [],
      error: {
        kind: 'notConfigured',
        message: 'No model service is configured. Set a base URL or an API key, or look for a local server.',
        action: 'openSettings',
        ...builtInModelOffer(),
      },
    };
  }
  if (isEmbeddedEndpoint(baseUrl)) {
    // The built-in model is the one model there is: another is chosen by setting another file.
    return { baseUrl, models: [{ id: settings.model, ownedBy: 'built-in' }] };
  }
  const timeoutMs = Math.min(settings.requestTimeout * 1000, LIST_MODELS_TIMEOUT_MS);
  try {
    return { baseUrl, models: await fetchModels(baseUrl, settings.apiKey, timeoutMs, signal) };
  } catch (error) {
    const chatError = toChatError(error, {
      baseUrl: displayUrl(baseUrl),
      model: settings.model,
      apiKey: settings.apiKey,
      retries: 0,
      hasContent: false,
      timeoutSeconds: timeoutMs / 1000,
    });
    if (chatError.kind === 'modelNotFound') {
      // A 404 on /models means the URL is wrong, not the model.
      chatError.kind = 'connection';
      chatError.action = 'openSettings';
      chatError.message = `${displayUrl(baseUrl)}/models was not found (404) — is the base URL right? It usually ends in /v1.`;
    }
    return { baseUrl, models: [], error: chatError };
  }
}
