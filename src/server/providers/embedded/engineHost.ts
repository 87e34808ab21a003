/**
 * The built-in model as the service sees it, with its engine in a process
 * of its own (hostProcess.ts): the same calls and results as EmbeddedRuntime
 * (which runs in that process), so chat, inline suggestions and the agent do
 * not know the difference.
 *
 * Why a process: llama.cpp keeps its backend, pools and malloc arenas once
 * started, so unloading in the service gave none of it back; and a native
 * abort inside llama.cpp (an assertion on a malformed file, out of memory)
 * would end the whole service. Here the process is forked on the model's
 * first use and ended on unload (idle, a new model path, shutdown), which
 * returns all its memory; a process that dies fails the request in flight
 * with the reason ("The built-in model's engine stopped …"), the status says
 * it, and the next request starts a new one.
 *
 * The queue stays here (slots.ts: one generation at a time, answers first),
 * and so does the idle unload. Cancellation reaches the process at once; one
 * that does not stop within `stopWaitMs` is killed. Everything the process
 * sends is checked (hostMessages.ts): anything else ends it. It never writes
 * to the service's stdout (the LSP stream): its stdout is not even open, its
 * stderr and log lines come to the service's log.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { errorMessage } from '../../../shared/guards';
import type { TokenCount } from '../../prompt/assemble';
import { CancelledError, InactivityTimeoutError } from '../streamErrors';
import { EmbeddedModelError } from './errors';
import type { PlainMessage, ToolDefinition, ToolMessage } from './history';
import { hostEnv, hostScript, type HostScript } from './hostEnv';
import { IdleUnload, realTimers } from './idleUnload';
import { isFromHost, type FromHost, type HostResult, type HostStart, type ToHost } from './hostMessages';
import { modelName } from './modelFile';
import { ContextPlan, type EmbeddedCheck } from './plan';
import { chooseThreads } from './resources';
import type { EmbeddedChatResult, EmbeddedCompletionBody, EmbeddedCompletionResult, EmbeddedConfig, EmbeddedPromptBudget, EmbeddedRuntimeOptions, EmbeddedTurnResult, LoadedInfo } from './runtime';
import { GenerationSlots, type Lane } from './slots';

/** How long a cancelled generation may take to stop before its process is killed. */
const DEFAULT_STOP_WAIT_MS = 3_000;
/** How long an ending process may take to exit by itself (it does at once when its channel closes). */
const EXIT_WAIT_MS = 2_000;
/** Rounds of exact counting a prompt's assembly may take (each round counts the texts the previous one asked about). */
const COUNT_ROUNDS = 6;

export interface EngineHostOptions extends EmbeddedRuntimeOptions {
  /** The engine process's script (tests: a stand-in); default hostScript(). */
  script?: HostScript;
  stopWaitMs?: number;
  /** Each engine process as it starts (tests end one to see what a crash does). */
  onProcess?: (child: ChildProcess) => void;
  /** The status changed without a settings change (the engine stopped, or started again after): announce it. */
  onStatusChange?: () => void;
}

/** A prompt budget with exact counts: `exactly` runs an assembly with the model's own counts (a count it has not made yet is an upper bound until then). */
export interface HostedPromptBudget extends EmbeddedPromptBudget {
  exactly<T>(build: (count: TokenCount) => T): Promise<T>;
}

type Expect = 'loaded' | 'done' | 'budget' | 'counts';

interface Pending {
  expect: Expect;
  onText?: (text: string) => void;
  resolve: (message: FromHost) => void;
  reject: (error: Error) => void;
}

/** One engine process. */
interface Engine {
  child: ChildProcess;
  modelPath: string;
  info?: LoadedInfo;
  pending: Map<number, Pending>;
  /** Set once the process is being ended or has ended: nothing it sends counts any more. */
  ending?: string;
  exited: Promise<void>;
  /** The last line llama.cpp or the process wrote (what a crash report quotes). */
  lastLine?: string;
  /** Texts counted with this model's tokenizer. */
  counts: Map<string, number>;
}

/** Live engine processes, killed when the service exits however it exits (no orphans). */
const live = new Set<ChildProcess>();
let exitHook = false;

export class EngineHost {
  private config: EmbeddedConfig | undefined;
  private engine: Engine | undefined;
  private loading: Promise<Engine> | undefined;
  private readonly slots = new GenerationSlots();
  private readonly plan: ContextPlan;
  private readonly idle: IdleUnload;
  private disposed = false;
  private nextId = 1;
  private readonly threads: number;
  /** Why the last engine process stopped, for the model it ran (the status says it until a load succeeds). */
  private stopped: { modelPath: string; reason: string } | undefined;

  constructor(private readonly options: EngineHostOptions) {
    this.idle = new IdleUnload(options.timers ?? realTimers, () => {
      if (!this.slots.busy) void this.unload();
    });
    const fromEnv = Number(options.env.TANDEM_EMBEDDED_THREADS);
    this.threads = options.threads ?? chooseThreads(availableParallelism(), Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined);
    this.plan = new ContextPlan(options);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const child of live) child.kill('SIGKILL');
      });
    }
  }

  /** The model now (from the latest settings). A different model path unloads the old model once it is idle. */
  configure(config: EmbeddedConfig | undefined): void {
    const previous = this.config;
    this.config = config;
    if (previous && config && previous.idleUnloadMinutes !== config.idleUnloadMinutes && !this.slots.busy) this.armIdle();
    if (this.engine && this.engine.modelPath !== config?.modelPath && !this.slots.busy) void this.unload();
  }

  get info(): LoadedInfo | undefined {
    return this.engine?.info;
  }

  /** The engine process's id while there is one (tests, the benchmark). */
  get pid(): number | undefined {
    return this.engine?.child.pid;
  }

  chat(messages: readonly PlainMessage[], signal: AbortSignal, onText: (text: string) => void): Promise<EmbeddedChatResult> {
    return this.generate('answer', signal, onText, (id) => ({ kind: 'chat', id, messages: [...messages] })).then((result) => ({ finishReason: result.finishReason, usage: result.usage, status: 200 }));
  }

  complete(body: EmbeddedCompletionBody, signal: AbortSignal, timeoutMs: number): Promise<EmbeddedCompletionResult> {
    // The process times the suggestion out itself; this is for a process that cannot (stuck in native code): it is stopped, then killed.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs + (this.options.stopWaitMs ?? DEFAULT_STOP_WAIT_MS));
    return this.generate('completion', AbortSignal.any([signal, deadline.signal]), undefined, (id) => ({ kind: 'complete', id, body, timeoutMs: Math.max(0, Math.round(timeoutMs)) }))
      .then(
        (result) => ({ text: result.text ?? '', finishReason: result.finishReason, usage: result.usage, status: 200 }),
        (error: unknown) => {
          if (deadline.signal.aborted && !signal.aborted) throw new InactivityTimeoutError(timeoutMs / 1000);
          throw error;
        },
      )
      .finally(() => clearTimeout(timer));
  }

  turn(messages: readonly ToolMessage[], tools: readonly ToolDefinition[], signal: AbortSignal, onText: (text: string) => void): Promise<EmbeddedTurnResult> {
    return this.generate('answer', signal, onText, (id) => ({ kind: 'turn', id, messages: [...messages], tools: [...tools] })).then((result) => ({
      text: result.text ?? '',
      toolCalls: result.toolCalls ?? [],
      finishReason: result.finishReason,
      usage: result.usage,
      status: 200,
    }));
  }

  /** Ends the engine process (an idle timeout, a new model path, the benchmark): all its memory goes back to the system. */
  async unload(): Promise<void> {
    this.cancelIdle();
    const pending = this.loading;
    if (pending) await pending.catch(() => undefined);
    const engine = this.engine;
    if (!engine) return;
    this.engine = undefined;
    await this.end(engine, 'unloaded');
    this.options.log?.('info', `Built-in model ${engine.info?.name ?? modelName(engine.modelPath)} unloaded (its engine process ended).`);
  }

  /** Service shutdown: generation stops, the process ends, nothing starts again. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.unload();
  }

  /** Checks the model file and the engine without loading; a stopped engine is reported until a load succeeds. */
  async check(): Promise<EmbeddedCheck | undefined> {
    const modelPath = this.config?.modelPath;
    if (!modelPath) return undefined;
    if (this.stopped?.modelPath === modelPath) return { ok: false, name: modelName(modelPath), problem: this.stopped.reason };
    return this.plan.check(modelPath, this.engine?.modelPath === modelPath ? this.engine.info?.contextSize : undefined);
  }

  /**
   * The prompt budget of an answer on the model (loaded for it). Counts are
   * the model's own tokenizer's, which lives in the engine process: `count`
   * answers at once from what was counted there, else with an upper bound
   * (UTF-8 bytes: a token is never less than a byte), and `exactly` runs an
   * assembly until every text it counted was counted there.
   */
  async promptBudget(): Promise<HostedPromptBudget> {
    const engine = await this.ensureLoaded();
    const answer = await this.request(engine, (id) => ({ kind: 'budget', id }), 'budget');
    if (answer.kind !== 'budget') throw new Error('unreachable');
    const count = (text: string): number => engine.counts.get(text) ?? upperBound(text);
    const exactly = async <T>(build: (count: TokenCount) => T): Promise<T> => {
      for (let round = 0; round < COUNT_ROUNDS; round++) {
        const missing = new Set<string>();
        const result = build((text) => engine.counts.get(text) ?? (missing.add(text), upperBound(text)));
        if (missing.size === 0) return result;
        if (!(await this.countTexts(engine, [...missing]))) return result;
      }
      return build(count);
    };
    return { tokens: answer.tokens, messageOverhead: answer.messageOverhead, count, exactly };
  }

  /** The prompt budget announced for the model now set (after `check` or a load), without loading it. */
  plannedPromptTokens(): number | undefined {
    const contextSize = this.plan.planned(this.config?.modelPath);
    return contextSize === undefined ? undefined : this.plan.promptTokens(contextSize);
  }

  /** Counts texts in the engine process; false when it could not (the bounds stand). */
  private async countTexts(engine: Engine, texts: string[]): Promise<boolean> {
    try {
      const answer = await this.request(engine, (id) => ({ kind: 'count', id, texts }), 'counts');
      if (answer.kind !== 'counts' || answer.counts.length !== texts.length) {
        this.violated(engine, 'it answered a count with the wrong number of counts');
        return false;
      }
      texts.forEach((text, index) => engine.counts.set(text, answer.counts[index] ?? upperBound(text)));
      return true;
    } catch {
      return false;
    }
  }

  private async generate(lane: Lane, signal: AbortSignal, onText: ((text: string) => void) | undefined, message: (id: number) => ToHost): Promise<HostResult> {
    const lease = await this.slots.acquire(lane, signal);
    this.cancelIdle();
    try {
      const engine = await this.ensureLoaded();
      if (lease.signal.aborted) throw new CancelledError();
      const answer = await this.request(engine, message, 'done', lease.signal, onText);
      if (answer.kind !== 'done') throw new Error('unreachable');
      return answer.result;
    } catch (error) {
      if (lease.signal.aborted && !(error instanceof EmbeddedModelError)) throw new CancelledError();
      throw error;
    } finally {
      lease.release();
      this.afterUse();
    }
  }

  /**
   * Sends a request and waits for its answer. An abort sends `cancel` at
   * once; a process that has not answered `stopWaitMs` later is killed.
   */
  private request(engine: Engine, make: (id: number) => ToHost, expect: Expect, signal?: AbortSignal, onText?: (text: string) => void): Promise<FromHost> {
    if (engine.ending) return Promise.reject(this.stoppedError(engine));
    const id = this.nextId++;
    return new Promise<FromHost>((resolve, reject) => {
      let stopTimer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        send(engine, { kind: 'cancel', id });
        stopTimer ??= setTimeout(() => {
          if (!engine.pending.has(id)) return;
          const waited = this.options.stopWaitMs ?? DEFAULT_STOP_WAIT_MS;
          this.options.log?.('warn', `The built-in model's engine did not stop within ${waited} ms of a cancellation: its process was ended (the next request starts a new one).`);
          if (this.engine === engine) this.engine = undefined;
          void this.end(engine, 'did not stop');
        }, this.options.stopWaitMs ?? DEFAULT_STOP_WAIT_MS);
      };
      const settle = (): void => {
        signal?.removeEventListener('abort', onAbort);
        if (stopTimer) clearTimeout(stopTimer);
      };
      engine.pending.set(id, {
        expect,
        // Text the process sent before the stop reached it is not the caller's any more: it stopped at its next token.
        ...(onText ? { onText: (text: string) => void (signal?.aborted || onText(text)) } : {}),
        resolve: (message) => {
          settle();
          resolve(message);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      send(engine, make(id));
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async ensureLoaded(): Promise<Engine> {
    if (this.disposed) throw new CancelledError();
    const modelPath = this.config?.modelPath;
    if (!modelPath) throw new EmbeddedModelError('modelFile', 'No built-in model is set: set tandem.embedded.modelPath (or TANDEM_EMBEDDED_MODEL) to a GGUF file.');
    if (this.engine?.info && this.engine.modelPath === modelPath && !this.engine.ending) return this.engine;
    if (this.engine && !this.loading) await this.unload();
    this.loading ??= this.load(modelPath).finally(() => (this.loading = undefined));
    const engine = await this.loading;
    if (this.disposed) {
      await this.unload();
      throw new CancelledError();
    }
    return engine;
  }

  private async load(modelPath: string): Promise<Engine> {
    const engine = this.spawn(modelPath);
    this.engine = engine;
    try {
      const answer = await this.request(engine, (id) => ({ kind: 'load', id, modelPath, ...optional('contextSize', this.plan.planned(modelPath)) }), 'loaded');
      if (answer.kind !== 'loaded') throw new Error('unreachable');
      engine.info = answer.info;
      this.plan.remember(modelPath, answer.info.contextSize);
      if (this.stopped) {
        this.stopped = undefined;
        this.options.onStatusChange?.();
      }
      return engine;
    } catch (error) {
      // A model that does not load leaves nothing running.
      if (this.engine === engine) this.engine = undefined;
      await this.end(engine, 'load failed');
      throw error;
    }
  }

  private spawn(modelPath: string): Engine {
    const script = this.options.script ?? hostScript();
    if (!script) throw new EmbeddedModelError('engineMissing', "The built-in model's engine process (embeddedHost.js) is missing beside the service: reinstall Tandem.");
    let child: ChildProcess;
    try {
      child = fork(script.path, script.args ?? [], {
        // No stdout at all: the service's stdout is the LSP stream.
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'advanced',
        env: hostEnv(this.options.env),
        execArgv: script.execArgv,
      });
    } catch (error) {
      throw new EmbeddedModelError('engineMissing', `The built-in model's engine process could not start: ${errorMessage(error)}`, { cause: error });
    }
    live.add(child);
    let exited = (): void => undefined;
    const engine: Engine = { child, modelPath, pending: new Map(), exited: new Promise((resolve) => (exited = resolve)), counts: new Map() };
    child.stderr?.setEncoding('utf8');
    let partial = '';
    child.stderr?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split(/\r?\n/);
      partial = (lines.pop() ?? '').slice(-4_000);
      for (const line of lines) this.heard(engine, 'warn', line.slice(0, 4_000), true);
    });
    child.on('message', (message: unknown) => this.receive(engine, message));
    child.on('error', (error) => {
      if (!engine.ending) this.stop(engine, `it could not run: ${errorMessage(error)}`);
    });
    child.on('exit', (code, signal) => {
      live.delete(child);
      if (partial) this.heard(engine, 'warn', partial, true);
      partial = '';
      if (!engine.ending) this.stop(engine, signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`);
      for (const pending of engine.pending.values()) pending.reject(this.stoppedError(engine));
      engine.pending.clear();
      exited();
    });
    const start: HostStart = {
      threads: this.threads,
      gpu: this.options.gpu ?? (/^(off|false|0|cpu)$/i.test(this.options.env.TANDEM_EMBEDDED_GPU ?? '') ? false : 'auto'),
      ...optional('engineFrom', this.options.engineFrom),
      ...optional('maxAnswerTokens', this.options.maxAnswerTokens),
      ...optional('seed', this.options.seed),
    };
    send(engine, { kind: 'start', options: start });
    this.options.log?.('info', `Built-in model engine process ${child.pid ?? '?'} started for ${modelName(modelPath)}.`);
    this.options.onProcess?.(child);
    return engine;
  }

  private receive(engine: Engine, message: unknown): void {
    if (engine.ending) return;
    if (!isFromHost(message)) {
      this.violated(engine, 'it sent a message Tandem does not accept');
      return;
    }
    if (message.kind === 'log') {
      this.heard(engine, message.level, message.message);
      return;
    }
    const pending = engine.pending.get(message.id);
    if (!pending) {
      this.violated(engine, 'it answered a request Tandem did not make');
      return;
    }
    if (message.kind === 'text') {
      if (!pending.onText) this.violated(engine, 'it streamed text to a request that has none');
      else pending.onText(message.text);
      return;
    }
    if (message.kind !== 'failed' && message.kind !== pending.expect) {
      this.violated(engine, `it answered with "${message.kind}" where "${pending.expect}" was asked`);
      return;
    }
    engine.pending.delete(message.id);
    if (message.kind === 'failed') pending.reject(rebuild(message.failure, message.message, message.timeoutSeconds));
    else pending.resolve(message);
  }

  /** A log line of the engine process (its runtime's, llama.cpp's, or its stderr): to the service's log, and kept for a crash report. */
  private heard(engine: Engine, level: 'info' | 'warn' | 'error', line: string, stderr = false): void {
    const text = line.trim();
    if (!text) return;
    if (level !== 'info') engine.lastLine = text.replace(/^llama\.cpp: /, '');
    this.options.log?.(level, stderr ? `Built-in model engine: ${text}` : text);
  }

  /** The process broke the protocol: it is ended, and what it was asked fails saying so. */
  private violated(engine: Engine, what: string): void {
    this.options.log?.('error', `The built-in model's engine process was ended: ${what}.`);
    engine.lastLine = undefined;
    this.stop(engine, what);
    void this.end(engine, what);
  }

  /** The process stopped unasked: the requests in flight fail with the reason, and the status says it. */
  private stop(engine: Engine, why: string): void {
    if (engine.ending) return;
    engine.ending = why;
    if (this.engine === engine) this.engine = undefined;
    const reason = this.stoppedError(engine).message;
    this.options.log?.('error', reason);
    for (const pending of engine.pending.values()) pending.reject(this.stoppedError(engine));
    engine.pending.clear();
    this.stopped = { modelPath: engine.modelPath, reason };
    this.options.onStatusChange?.();
  }

  private stoppedError(engine: Engine): Error {
    if (engine.ending === 'unloaded' || engine.ending === 'did not stop') return new CancelledError();
    const line = engine.lastLine ? `; its last log line: ${engine.lastLine.slice(0, 500)}` : '';
    return new EmbeddedModelError('engineStopped', `The built-in model's engine stopped running ${modelName(engine.modelPath)} (${engine.ending ?? 'unknown reason'})${line}. The next request starts it again.`);
  }

  /**
   * Ends a process. Asked to (an unload, a failed load), its channel closes
   * and it exits by itself (it is killed if it has not within a moment); one
   * that broke the protocol or does not stop is killed at once.
   */
  private async end(engine: Engine, why: string): Promise<void> {
    engine.ending ??= why;
    for (const pending of engine.pending.values()) pending.reject(this.stoppedError(engine));
    engine.pending.clear();
    const { child } = engine;
    if (child.exitCode !== null || child.signalCode !== null) return engine.exited;
    const gently = why === 'unloaded' || why === 'load failed';
    if (gently && child.connected) child.disconnect();
    else child.kill('SIGKILL');
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_WAIT_MS);
    await engine.exited;
    clearTimeout(timer);
  }

  private afterUse(): void {
    if (this.slots.busy) return;
    if (this.engine && this.engine.modelPath !== this.config?.modelPath) {
      void this.unload();
      return;
    }
    this.armIdle();
  }

  private armIdle(): void {
    this.idle.arm(this.engine ? (this.config?.idleUnloadMinutes ?? 0) : 0);
  }

  private cancelIdle(): void {
    this.idle.cancel();
  }
}

function send(engine: Engine, message: ToHost): void {
  if (engine.child.connected) engine.child.send(message, (error) => void error);
}

/** A request's failure in the engine process, as the error the runtime would have thrown in the service. */
function rebuild(failure: string, message: string, timeoutSeconds?: number): Error {
  switch (failure) {
    case 'cancelled':
      return new CancelledError();
    case 'timeout':
      return new InactivityTimeoutError(timeoutSeconds ?? 0);
    case 'engineMissing':
    case 'modelFile':
    case 'loadFailed':
    case 'noFunctionCalling':
    case 'contextFull':
      return new EmbeddedModelError(failure, message);
    default:
      return new Error(message);
  }
}

/** Never fewer tokens than this (a token stands for a byte at least; a leading space marker may add one). */
function upperBound(text: string): number {
  return Buffer.byteLength(text, 'utf8') + 1;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
