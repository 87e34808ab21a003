/**
 * The built-in model's engine process (bundled as dist/embeddedHost.js): the
 * service forks it on the model's first use and ends it on unload, so
 * llama.cpp's memory (its backend, pools, malloc arenas) goes back to the
 * system with it, and a native abort inside llama.cpp (an assertion on a
 * malformed file, out of memory) ends this process, not the service.
 *
 * It runs the same EmbeddedRuntime the service would, one request at a time
 * as the service sends them (the service keeps the queue: engineHost.ts).
 * Nothing is written to stdout (the service's stdout is the LSP stream; this
 * process's is ignored anyway): log lines go to the service as messages.
 * When the service goes (its channel closes), this process ends at once.
 */
import { performance } from 'node:perf_hooks';
import { CancelledError, InactivityTimeoutError } from '../streamErrors';
import { EmbeddedModelError } from './errors';
import { isToHost, MAX_TEXT, type FromHost, type HostFailure, type HostStart, type ToHost } from './hostMessages';
import { EmbeddedRuntime } from './runtime';

/** Largest piece of streamed text per message (a slow reader gets the backlog in pieces). */
const PIECE = 64_000;
/** Streamed text coming faster than this is sent in batches (see TextStream). */
const STREAM_INTERVAL_MS = 8;

type Send = (message: FromHost, done?: () => void) => void;

/**
 * Streamed text for one request. The first piece goes at once; after it,
 * pieces that come faster than one per `intervalMs` (a small model on a fast
 * machine: a token a millisecond) are joined and sent together, and while a
 * message is still being written to the service (it reads slower than tokens
 * come) the next ones wait and join too. A message per token would cost more
 * than the token (measured: 7 % of the answer time on the tiny model); at a
 * person's reading speed nothing is delayed, and tokens slower than the
 * interval (a real model on a laptop) still go one by one, at once.
 */
export class TextStream {
  private pending = '';
  private writing = false;
  private timer: NodeJS.Timeout | undefined;
  private lastSent = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly id: number,
    private readonly send: Send,
    private readonly intervalMs = STREAM_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(text: string): void {
    this.pending += text;
    if (this.writing || this.timer) return;
    const wait = this.lastSent + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.writing) this.flush();
      }, wait);
  }

  /** Sends what is left now (before the request's answer: messages arrive in order). */
  end(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending) this.next(() => undefined);
  }

  private flush(): void {
    if (!this.pending) return;
    this.writing = true;
    this.next(() => {
      this.writing = false;
      if (this.pending && !this.timer) this.push('');
    });
  }

  private next(done: () => void): void {
    const text = this.pending.slice(0, PIECE);
    this.pending = this.pending.slice(text.length);
    this.lastSent = this.now();
    this.send({ kind: 'text', id: this.id, text }, done);
  }
}

/** A failure as the service will rebuild it. */
export function describeFailure(error: unknown): { failure: HostFailure; message: string; timeoutSeconds?: number } {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 10_000);
  if (error instanceof EmbeddedModelError) return { failure: error.failure, message };
  if (error instanceof CancelledError) return { failure: 'cancelled', message };
  if (error instanceof InactivityTimeoutError) return { failure: 'timeout', message, timeoutSeconds: error.seconds };
  return { failure: 'other', message };
}

export class Host {
  private runtime: EmbeddedRuntime | undefined;
  private readonly running = new Map<number, AbortController>();

  constructor(private readonly send: Send) {}

  async receive(message: ToHost): Promise<void> {
    if (message.kind === 'start') {
      this.start(message.options);
      return;
    }
    if (message.kind === 'cancel') {
      this.running.get(message.id)?.abort();
      return;
    }
    const runtime = this.runtime;
    const { id } = message;
    if (!runtime) {
      this.send({ kind: 'failed', id, failure: 'other', message: 'The engine process was not started.' });
      return;
    }
    const controller = new AbortController();
    this.running.set(id, controller);
    const stream = new TextStream(id, this.send);
    const onText = (text: string): void => stream.push(text);
    try {
      switch (message.kind) {
        case 'load': {
          runtime.configure({ modelPath: message.modelPath, idleUnloadMinutes: 0, ...(message.contextSize ? { contextSize: message.contextSize } : {}) });
          await runtime.promptBudget();
          if (runtime.info) this.send({ kind: 'loaded', id, info: runtime.info });
          break;
        }
        case 'chat': {
          const result = await runtime.chat(message.messages, controller.signal, onText);
          stream.end();
          this.send({ kind: 'done', id, result: { finishReason: result.finishReason, usage: result.usage } });
          break;
        }
        case 'turn': {
          const result = await runtime.turn(message.messages, message.tools, controller.signal, onText);
          stream.end();
          this.send({ kind: 'done', id, result: { finishReason: result.finishReason, usage: result.usage, text: result.text.slice(0, MAX_TEXT), toolCalls: result.toolCalls } });
          break;
        }
        case 'complete': {
          const result = await runtime.complete(message.body, controller.signal, message.timeoutMs);
          this.send({ kind: 'done', id, result: { finishReason: result.finishReason, usage: result.usage, text: result.text.slice(0, MAX_TEXT) } });
          break;
        }
        case 'budget': {
          const budget = await runtime.promptBudget();
          this.send({ kind: 'budget', id, tokens: budget.tokens, messageOverhead: budget.messageOverhead });
          break;
        }
        case 'count': {
          const budget = await runtime.promptBudget();
          this.send({ kind: 'counts', id, counts: message.texts.map((text) => budget.count(text)) });
          break;
        }
      }
    } catch (error) {
      stream.end();
      this.send({ kind: 'failed', id, ...describeFailure(error) });
    } finally {
      this.running.delete(id);
    }
  }

  async dispose(): Promise<void> {
    for (const controller of this.running.values()) controller.abort();
    await this.runtime?.dispose();
  }

  private start(options: HostStart): void {
    if (this.runtime) return;
    this.runtime = new EmbeddedRuntime({
      env: process.env,
      threads: options.threads,
      gpu: options.gpu,
      ...(options.engineFrom !== undefined ? { engineFrom: options.engineFrom } : {}),
      ...(options.maxAnswerTokens !== undefined ? { maxAnswerTokens: options.maxAnswerTokens } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      log: (level, message) => this.send({ kind: 'log', level, message: message.slice(0, 10_000) }),
    });
  }
}

function main(): void {
  const channel = process.send?.bind(process);
  if (!channel) {
    process.stderr.write('The built-in model engine process runs only when the Tandem service starts it.\n');
    process.exitCode = 2;
    return;
  }
  const send: Send = (message, done) => {
    if (!process.connected) return;
    channel(message, undefined, {}, () => done?.());
  };
  const host = new Host(send);
  process.on('message', (message: unknown) => {
    if (!isToHost(message)) {
      process.stderr.write('The engine process ignored a malformed message from the service.\n');
      return;
    }
    void host.receive(message);
  });
  // The service is gone (it exited, or it unloads the model): end now, whatever runs. The system frees the memory.
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) main();
