/**
 * A stand-in for the built-in model's engine process (hostProcess.ts), for
 * tests of what the service does with a process that misbehaves: it answers
 * the protocol like the real one, except where `behaviour` says otherwise
 * (hostile messages, an exit at load, a stop it ignores, its environment
 * reported). A plain CommonJS file written to a folder: it starts in tens of
 * milliseconds, without tsx or the engine.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HostScript } from '../../src/server/providers/embedded/hostEnv';

export interface FakeHostBehaviour {
  /** Sent instead of `loaded` (decoded with `decode`: "$ID" becomes the request's id, and so on). */
  onLoad?: unknown[];
  /** Sent instead of a chat's answer. */
  onChat?: unknown[];
  /** Exit with this code when asked to load, after an assertion line on stderr (as llama.cpp's aborts write). */
  exitOnLoad?: number;
  /** A cancellation is not answered (a generation stuck in native code). */
  ignoreCancel?: boolean;
  /** A chat streams text until cancelled, never ending by itself. */
  endless?: boolean;
  /** A suggestion is never answered (stuck in native code; with ignoreCancel, not even a stop). */
  stuckComplete?: boolean;
  /** Its environment is sent as a log line `env {...}` when started. */
  reportEnv?: boolean;
  /** Writes to its stdout on start and on every request. */
  writeStdout?: boolean;
}

/**
 * Messages are given as JSON with markers for what JSON cannot hold (the
 * channel's advanced serialization can): "$ID" the request's id,
 * "$BIGINT:n" a BigInt, "$REPEAT:n:text" a long string, {"$map": entries}
 * a Map. The stand-in decodes them the same way (its copy is in SOURCE).
 */
export function decode(value: unknown, id: number): unknown {
  if (value === '$ID') return id;
  if (typeof value === 'string' && value.startsWith('$BIGINT:')) return BigInt(value.slice(8));
  if (typeof value === 'string' && value.startsWith('$REPEAT:')) {
    const [, count, text] = value.split(':');
    return (text ?? '').repeat(Number(count));
  }
  if (Array.isArray(value)) return value.map((item: unknown) => decode(item, id));
  if (value !== null && typeof value === 'object') {
    if ('$map' in value) return new Map(decode(Reflect.get(value, '$map'), id) as Array<[unknown, unknown]>);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decode(item, id)]));
  }
  return value;
}

export const FAKE_INFO = { name: 'fake', contextSize: 512, threads: 1, gpu: false, fim: true, functionCalling: false, chatTemplate: 'ChatML', loadMs: 1 };

const SOURCE = `
const behaviour = JSON.parse(process.argv[2] || '{}');
const INFO = ${JSON.stringify(FAKE_INFO)};
const decode = (value, id) => {
  if (value === '$ID') return id;
  if (typeof value === 'string' && value.startsWith('$BIGINT:')) return BigInt(value.slice(8));
  if (typeof value === 'string' && value.startsWith('$REPEAT:')) { const [, count, text] = value.split(':'); return text.repeat(Number(count)); }
  if (Array.isArray(value)) return value.map((item) => decode(item, id));
  if (value && typeof value === 'object') {
    if ('$map' in value) return new Map(decode(value.$map, id));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decode(item, id)]));
  }
  return value;
};
const sendAll = (list, id) => { for (const value of list) process.send(decode(value, id)); };
const usage = { promptTokens: 3, completionTokens: 2, totalTokens: 5 };
const streams = new Map();
process.on('message', (m) => {
  if (behaviour.writeStdout) try { require('node:fs').writeSync(1, 'not for the LSP stream\\n'); } catch {}
  switch (m.kind) {
    case 'start':
      if (behaviour.reportEnv) process.send({ kind: 'log', level: 'info', message: 'env ' + JSON.stringify(process.env) });
      return;
    case 'load':
      if (behaviour.exitOnLoad !== undefined) { process.stderr.write('GGML_ASSERT(fake) failed: a fake assertion\\n'); process.exit(behaviour.exitOnLoad); }
      if (behaviour.onLoad) return sendAll(behaviour.onLoad, m.id);
      return process.send({ kind: 'loaded', id: m.id, info: INFO });
    case 'budget':
      return process.send({ kind: 'budget', id: m.id, tokens: 400, messageOverhead: 4 });
    case 'count':
      return process.send({ kind: 'counts', id: m.id, counts: m.texts.map((t) => t.length) });
    case 'chat':
      if (behaviour.onChat) return sendAll(behaviour.onChat, m.id);
      if (behaviour.endless) {
        const timer = setInterval(() => process.send({ kind: 'text', id: m.id, text: 'x' }), 1);
        streams.set(m.id, timer);
        return;
      }
      process.send({ kind: 'text', id: m.id, text: 'hello' });
      return process.send({ kind: 'done', id: m.id, result: { finishReason: 'stop', usage } });
    case 'complete':
      if (behaviour.stuckComplete) return;
      return process.send({ kind: 'done', id: m.id, result: { finishReason: 'stop', usage, text: 'x' } });
    case 'cancel':
      if (behaviour.ignoreCancel) return;
      clearInterval(streams.get(m.id));
      return process.send({ kind: 'failed', id: m.id, failure: 'cancelled', message: 'cancelled' });
  }
});
process.on('disconnect', () => process.exit(0));
`;

/** Writes the stand-in to `dir` and returns it as the engine host's script (its behaviour passed as its argument). */
export function fakeHost(dir: string, behaviour: FakeHostBehaviour = {}): HostScript {
  const file = path.join(dir, 'fakeEngineHost.cjs');
  writeFileSync(file, SOURCE);
  return { path: file, execArgv: [], args: [JSON.stringify(behaviour)] };
}
