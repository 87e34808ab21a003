import type { ServiceStatusParams } from '../shared/protocol';
import { effectiveBaseUrl, type ResolvedSettings } from './settings';

const PORT_LABELS: Readonly<Record<string, string>> = {
  '11434': 'Ollama',
  '1234': 'LM Studio',
  '8080': 'llama.cpp',
  '8000': 'vLLM',
};

/** A human label for an endpoint: "OpenAI", "Ollama", … else "host:port". '' when there is none. */
export function providerLabel(baseUrl: string | undefined): string {
  if (!baseUrl) {
    return '';
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return baseUrl;
  }
  const host = url.hostname.toLowerCase();
  if (host === 'api.openai.com') {
    return 'OpenAI';
  }
  if (host.endsWith('.openai.azure.com')) {
    return 'Azure OpenAI';
  }
  if (host === 'openrouter.ai' || host.endsWith('.openrouter.ai')) {
    return 'OpenRouter';
  }
  const known = PORT_LABELS[url.port];
  if (known) {
    return known;
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

/** True when the string parses as an http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** What the check of the built-in model's engine and file found (the runtime makes it; providers/embedded/runtime.ts). */
export type EmbeddedCheck = { ok: true; contextTokens: number; promptTokens: number } | { ok: false; problem: string };

/**
 * The tandem/serviceStatus payload for resolved settings; for the built-in
 * model, with the check of its engine and file (`check`, made when the
 * settings are read: without it the state is ready and the first request
 * says what is wrong).
 */
export function buildStatus({ settings, source, embedded }: ResolvedSettings, check?: EmbeddedCheck): ServiceStatusParams {
  if (embedded) {
    const budget = check?.ok ? { contextTokens: check.contextTokens, promptTokens: check.promptTokens } : {};
    return {
      state: check && !check.ok ? 'failed' : 'ready',
      ...(check && !check.ok ? { problem: check.problem } : {}),
      model: embedded.name,
      baseUrl: '',
      provider: 'built-in (on this machine)',
      source,
      hasApiKey: settings.apiKey !== '',
      embedded: { modelPath: embedded.modelPath, origin: embedded.origin, ...budget },
    };
  }
  const baseUrl = effectiveBaseUrl(settings) ?? '';
  const ready = baseUrl !== '' && isHttpUrl(baseUrl) && settings.model !== '';
  return {
    state: ready ? 'ready' : 'notConfigured',
    model: settings.model,
    baseUrl,
    provider: providerLabel(baseUrl),
    source,
    hasApiKey: settings.apiKey !== '',
  };
}
