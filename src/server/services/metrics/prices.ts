/**
 * Estimated cost of model requests: a table of list prices in US dollars per
 * million input (prompt) and output (completion) tokens. These are
 * ESTIMATES: the providers' published list prices as of PRICES_AS_OF,
 * without discounts, cached-input rates, batch rates or taxes; a provider may
 * have changed them since. `tandem.metrics.prices` (user settings) overrides
 * or adds entries. A request to a server on this machine (loopback) costs 0;
 * a model the table does not name has an unknown cost — never a guess from a
 * similar name (docs/audit.md#cost).
 */
import { isLoopbackHost } from '../../../shared/boundary/endpoint';
import { isRecord } from '../../../shared/guards';
import type { ModelPrice } from '../../../shared/metrics';

/** When the built-in table was last checked against the providers' pages. */
export const PRICES_AS_OF = '2025-11-30';

/**
 * Built-in list prices (USD per 1M tokens). A key matches the model id
 * exactly, or followed by a dated or tagged snapshot suffix
 * (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`, `…-latest`), also
 * after a provider prefix (`openai/gpt-4o`). A longer id that is another
 * model (`gpt-4o-mini`, `o3-pro`) never matches a shorter key.
 */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  // OpenAI
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  // Anthropic
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  // Google
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  // Mistral
  'codestral-latest': { input: 0.3, output: 0.9 },
  'devstral-small': { input: 0.1, output: 0.3 },
  'mistral-large-latest': { input: 2, output: 6 },
  // DeepSeek
  'deepseek-chat': { input: 0.28, output: 0.42 },
  'deepseek-reasoner': { input: 0.28, output: 0.42 },
};

/** A snapshot of a model: `-2024-08-06`, `-20250514`, `-latest`, `-preview`, `-001`. */
const SNAPSHOT = /^(?:-\d{4}-\d{2}-\d{2}|-\d{8}|-latest|-preview(?:-\d{2}-\d{4}|-\d{2}-\d{2})?|-\d{3})$/;

/** Model and host pairs whose price is remembered. */
const MAX_CACHED = 10_000;

/** Most characters of a model id looked up (longer ids are unknown). */
const MAX_MODEL_LENGTH = 200;

/** The price of a request: a price, `local` (this machine, free), or unknown. */
export type PriceOf = ModelPrice | 'local' | undefined;

export interface PriceTable {
  /** The price of `model` served at `endpointHost` (host[:port], as the trail records it). */
  priceOf(model: string, endpointHost: string): PriceOf;
  /** Whether the person's settings gave prices. */
  readonly overridden: boolean;
}

/**
 * The price table: the person's entries first (an exact id, or a prefix
 * ending in `*`: `"my-finetune-*"`), then the built-in table. Malformed
 * entries of `overrides` are left out (they come from settings).
 */
export function priceTable(overrides?: Readonly<Record<string, unknown>>): PriceTable {
  const exact = new Map<string, ModelPrice>();
  const prefixes: Array<[string, ModelPrice]> = [];
  for (const [key, value] of Object.entries(overrides ?? {})) {
    const price = modelPrice(value);
    if (!price || key.length === 0 || key.length > MAX_MODEL_LENGTH) continue;
    if (key.endsWith('*')) prefixes.push([key.slice(0, -1), price]);
    else exact.set(key, price);
  }
  // The longest prefix wins.
  prefixes.sort(([a], [b]) => b.length - a.length);
  // By host, then model: looked up once each (a trail names few), and no key is built per request.
  const cache = new Map<string, Map<string, PriceOf>>();
  let cached = 0;
  return {
    overridden: exact.size + prefixes.length > 0,
    priceOf(model, endpointHost) {
      let byModel = cache.get(endpointHost);
      if (byModel?.has(model)) return byModel.get(model);
      const found = isLocal(endpointHost) ? 'local' : lookUp(model, exact, prefixes);
      if (cached < MAX_CACHED) {
        if (!byModel) cache.set(endpointHost, (byModel = new Map()));
        byModel.set(model, found);
        cached += 1;
      }
      return found;
    },
  };
}

function lookUp(model: string, exact: ReadonlyMap<string, ModelPrice>, prefixes: ReadonlyArray<[string, ModelPrice]>): ModelPrice | undefined {
  if (model.length === 0 || model.length > MAX_MODEL_LENGTH) return undefined;
  const own = exact.get(model) ?? prefixes.find(([prefix]) => model.startsWith(prefix))?.[1];
  if (own) return own;
  // `openai/gpt-4o` (a router's name) is priced as `gpt-4o`.
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return builtIn(name);
}

function builtIn(name: string): ModelPrice | undefined {
  const direct = Object.hasOwn(BUILT_IN_PRICES, name) ? BUILT_IN_PRICES[name] : undefined;
  if (direct) return direct;
  // The longest key the name starts with, followed by a snapshot suffix only.
  let best: string | undefined;
  for (const key of Object.keys(BUILT_IN_PRICES)) {
    if (name.startsWith(key) && SNAPSHOT.test(name.slice(key.length)) && (best === undefined || key.length > best.length)) best = key;
  }
  return best !== undefined ? BUILT_IN_PRICES[best] : undefined;
}

/** `host[:port]` of the trail on this machine: `localhost:11434`, `127.0.0.1:8080`, `[::1]:1234`. */
export function isLocal(endpointHost: string): boolean {
  if (endpointHost.length === 0 || endpointHost.length > 300) return false;
  // The built-in model (tandem://embedded) runs inside the service.
  if (endpointHost === 'embedded') return true;
  try {
    return isLoopbackHost(new URL(`http://${endpointHost}/`).hostname);
  } catch {
    return false;
  }
}

/** A price as settings give it: two finite, non-negative numbers. */
export function modelPrice(value: unknown): ModelPrice | undefined {
  if (!isRecord(value)) return undefined;
  const { input, output } = value;
  if (typeof input !== 'number' || typeof output !== 'number' || !Number.isFinite(input) || !Number.isFinite(output) || input < 0 || output < 0) return undefined;
  return { input, output };
}

/** USD of a request's tokens at `price`. */
export function costOf(price: ModelPrice, prompt: number, completion: number): number {
  return (prompt * price.input + completion * price.output) / 1_000_000;
}
