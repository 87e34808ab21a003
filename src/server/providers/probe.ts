import type { LocalServer, ProbeLocalResult } from '../../shared/protocol';

export interface ProbeTarget {
  name: string;
  port: number;
}

/** The usual ports of local OpenAI-compatible servers. */
export const LOCAL_SERVERS: readonly ProbeTarget[] = [
  { name: 'Ollama', port: 11434 },
  { name: 'LM Studio', port: 1234 },
  { name: 'llama.cpp', port: 8080 },
  { name: 'vLLM', port: 8000 },
];

export interface ProbeOptions {
  targets?: readonly ProbeTarget[];
  host?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Asks every target's /v1/models in parallel, each with a short timeout, and
 * returns those that answer with a model list (in table order).
 */
export async function probeLocal(options: ProbeOptions = {}): Promise<ProbeLocalResult> {
  const { targets = LOCAL_SERVERS, host = '127.0.0.1', timeoutMs = 800 } = options;
  const answers = await Promise.all(targets.map((target) => probeOne(target, host, timeoutMs, options.signal)));
  return { servers: answers.filter((server): server is LocalServer => server !== undefined) };
}

async function probeOne(target: ProbeTarget, host: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<LocalServer | undefined> {
  const baseUrl = `http://${host}:${target.port}/v1`;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(`${baseUrl}/models`, {
      headers: { accept: 'application/json' },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const models = parseModelIds(await response.json());
    return models ? { name: target.name, baseUrl, models } : undefined;
  } catch {
    return undefined;
  }
}

/** The ids of `{data: [{id}]}`, or undefined when the body is not a model list. */
export function parseModelIds(body: unknown): string[] | undefined {
  const data: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'data') : undefined;
  if (!Array.isArray(data)) {
    return undefined;
  }
  const ids: string[] = [];
  for (const entry of data as unknown[]) {
    const id: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'id') : undefined;
    if (typeof id === 'string' && id !== '') {
      ids.push(id);
    }
  }
  return ids;
}
