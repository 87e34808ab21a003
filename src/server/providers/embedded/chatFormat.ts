/**
 * The model's chat format, resolved without stalling the service. Letting
 * node-llama-cpp resolve it from the GGUF's chat template renders the Jinja
 * template against every format it knows: 0.35–1.1 s of blocked event loop
 * on a 2-core machine (the LSP answers nothing meanwhile). So the format's
 * name is found once in a worker thread (from the file's metadata, while the
 * model loads), remembered per template for the process, and the wrapper is
 * then made by name in a fraction of a millisecond. Should the worker fail,
 * the format is resolved here after all.
 */
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { ChatWrapper, EngineModule, LlamaModel } from './engineTypes';

/** Template text (and architecture) → the format's name in node-llama-cpp's `chatWrappers`. */
const known = new Map<string, string>();

/** Runs in the worker: reads the file's metadata and names the format node-llama-cpp would choose. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  try {
    const engine = await import(workerData.entry);
    const info = await engine.readGgufFileInfo(workerData.modelPath, { readTensorInfo: false, logWarnings: false });
    const ggml = info.metadata && info.metadata.tokenizer && info.metadata.tokenizer.ggml;
    const bos = ggml && Array.isArray(ggml.tokens) && typeof ggml.bos_token_id === 'number' ? ggml.tokens[ggml.bos_token_id] : undefined;
    const wrapper = engine.resolveChatWrapper({ fileInfo: info, filename: workerData.modelPath, architecture: info.metadata.general.architecture, bosString: bos, warningLogs: false });
    const name = wrapper ? Object.keys(engine.chatWrappers).find((key) => wrapper instanceof engine.chatWrappers[key]) : undefined;
    parentPort.postMessage(name || '');
  } catch {
    parentPort.postMessage('');
  }
})();
`;

/** Starts naming the format of `modelPath` (call it before loading the model: both take a while). */
export function nameChatFormat(entry: string, modelPath: string, templateKey: string): Promise<string> {
  const remembered = known.get(templateKey);
  if (remembered !== undefined) return Promise.resolve(remembered);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry: pathToFileURL(entry).href, modelPath }, stdout: true, stderr: true });
    } catch {
      resolve('');
      return;
    }
    // Nothing of the worker's reaches the service's stdout (the LSP stream).
    worker.stdout.resume();
    worker.stderr.resume();
    let answered = false;
    const done = (name: string): void => {
      if (answered) return;
      answered = true;
      if (name) known.set(templateKey, name);
      resolve(name);
      void worker.terminate();
    };
    worker.once('message', (name: unknown) => done(typeof name === 'string' ? name : ''));
    worker.once('error', () => done(''));
    worker.once('exit', () => done(''));
  });
}

/** The wrapper for the format named (fast), or node-llama-cpp's own resolution when there is no name. */
export function chatWrapperFor(engine: EngineModule, model: LlamaModel, name: string): ChatWrapper | null {
  if (name && name in engine.chatWrappers) {
    try {
      return engine.resolveChatWrapper(model, { type: name });
    } catch {
      // A format that needs settings it was not given: resolved the slow way below.
    }
  }
  return engine.resolveChatWrapper(model);
}
