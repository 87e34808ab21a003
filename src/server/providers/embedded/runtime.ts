/**
 * The built-in model inside the service: loaded on first use, unloaded after
 * `tandem.embedded.idleUnloadMinutes` without use (or when the model path
 * changes), one generation at a time with answers first (slots.ts).
 *
 * It answers the same three calls the HTTP provider does, with the same
 * results: a streamed chat (chat, edits, commit messages), an inline
 * completion (fill-in-the-middle with the model's own tokens when it has
 * them, else a plain continuation of the prefix) and an agent turn (function
 * calling, when the model's chat template has tools; otherwise a plain
 * refusal). Cancellation stops generation at the next token and ends as
 * CancelledError, as the HTTP provider's does.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../../shared/guards';
import type { FinishReason, TokenUsage } from '../../../shared/protocol';
import { CancelledError, InactivityTimeoutError } from '../streamErrors';
import { chatWrapperFor, nameChatFormat } from './chatFormat';
import { engineLog, startEngine, type Engine } from './engine';
import type { ChatFunctionSpec, ChatHistoryItem, ChatWrapper, LlamaChat, LlamaCompletion, LlamaContext, LlamaContextSequence, LlamaModel, LogLevel, StopReason } from './engineTypes';
import { EmbeddedModelError } from './errors';
import { IdleUnload, realTimers, type IdleTimers } from './idleUnload';
import { toFunctions, toHistory, type PlainMessage, type ToolDefinition, type ToolMessage } from './history';
import { checkModelFile, modelName } from './modelFile';
import { ContextPlan, MIN_ANSWER_TOKENS, TEMPLATE_MARGIN_TOKENS, type EmbeddedCheck } from './plan';
import { chooseThreads, field } from './resources';
import { GenerationSlots, type Lane } from './slots';

/** What the settings say about the built-in model (settings.ts resolves it). */
export interface EmbeddedConfig {
  modelPath: string;
  /** 0: never unloaded. */
  idleUnloadMinutes: number;
  /** The context the service announced for this file (the engine's process loads with it). */
  contextSize?: number;
}

export type { IdleTimers } from './idleUnload';

export interface EmbeddedRuntimeOptions {
  env: NodeJS.ProcessEnv;
  /** Where the service's log lines go (llama.cpp's warnings too). */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  timers?: IdleTimers;
  /** Generation threads; default from the cores (resources.ts), or TANDEM_EMBEDDED_THREADS. */
  threads?: number;
  /** Default 'auto' (Metal, CUDA or Vulkan when its binary is there), `false` with TANDEM_EMBEDDED_GPU=off. */
  gpu?: 'auto' | false;
  freeMemory?: () => number;
  /** Where to look for the extension root (tests, benchmarks). */
  engineFrom?: string;
  /** Most tokens of one answer; default: half the context, at most 2,048. */
  maxAnswerTokens?: number;
  /** Sampling seed (tests: reproducible output). */
  seed?: number;
}

export interface EmbeddedChatResult {
  finishReason: FinishReason;
  usage: TokenUsage;
  /** Always 200: nothing went over HTTP, and the logs read it as success. */
  status: number;
}

export interface EmbeddedCompletionBody {
  kind: 'completions' | 'chat';
  prompt?: string;
  suffix?: string;
  stop?: string[];
  messages?: PlainMessage[];
  maxTokens: number;
}

export interface EmbeddedCompletionResult extends EmbeddedChatResult {
  text: string;
}

export interface EmbeddedTurnResult extends EmbeddedChatResult {
  text: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
}

/** What is loaded now (for the status, the log and the benchmark). */
export interface LoadedInfo {
  name: string;
  contextSize: number;
  threads: number;
  gpu: string | false;
  fim: boolean;
  functionCalling: boolean;
  chatTemplate: string;
  loadMs: number;
}

export type { EmbeddedCheck } from './plan';

/** What a prompt for the loaded model may take, counted with its own tokenizer. */
export interface EmbeddedPromptBudget {
  tokens: number;
  count: (text: string) => number;
  /** Tokens the chat template adds per message. */
  messageOverhead: number;
}


interface Loaded {
  path: string;
  model: LlamaModel;
  wrapper: ChatWrapper;
  context: LlamaContext;
  answerSequence: LlamaContextSequence;
  completionSequence: LlamaContextSequence;
  chat: LlamaChat;
  completion: LlamaCompletion;
  info: LoadedInfo;
}

/** Function-calling chat formats node-llama-cpp knows without a template. */
const FUNCTION_WRAPPERS = new Set(['Qwen', 'Llama 3.1', 'Llama 3.2 lightweight', 'Functionary', 'Mistral', 'Harmony', 'Seed', 'Gemma 4']);

export class EmbeddedRuntime {
  private config: EmbeddedConfig | undefined;
  private loaded: Loaded | undefined;
  private loading: Promise<Loaded> | undefined;
  private readonly slots = new GenerationSlots();
  private readonly idle: IdleUnload;
  /** The context size chosen for a model file before it loads (the status and the prompt budget announce it; the load uses it). */
  private readonly plan: ContextPlan;
  private disposed = false;
  private readonly threads: number;
  private readonly forward = (level: LogLevel, message: string): void => this.options.log?.(level === 'error' || level === 'fatal' ? 'error' : 'warn', `llama.cpp: ${message}`);

  constructor(private readonly options: EmbeddedRuntimeOptions) {
    this.idle = new IdleUnload(options.timers ?? realTimers, () => {
      if (!this.slots.busy) void this.unload();
    });
    const fromEnv = Number(options.env.TANDEM_EMBEDDED_THREADS);
    this.threads = options.threads ?? chooseThreads(availableParallelism(), Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined);
    this.plan = new ContextPlan(options);
    engineLog.listeners.add(this.forward);
  }

  /** The model now (from the latest settings). A different model path unloads the old model once it is idle. */
  configure(config: EmbeddedConfig | undefined): void {
    const previous = this.config;
    this.config = config;
    if (config?.contextSize !== undefined) this.plan.remember(config.modelPath, config.contextSize);
    if (previous && config && previous.idleUnloadMinutes !== config.idleUnloadMinutes && !this.slots.busy) this.armIdle();
    if (this.loaded && this.loaded.path !== config?.modelPath && !this.slots.busy) void this.unload();
  }

  get info(): LoadedInfo | undefined {
    return this.loaded?.info;
  }

  /** Streams an answer to `messages` through `onText`. */
  chat(messages: readonly PlainMessage[], signal: AbortSignal, onText: (text: string) => void): Promise<EmbeddedChatResult> {
    return this.generate('answer', signal, async (loaded, generation) => {
      const counter = tokenCounter();
      const history = toHistory(messages);
      const response = await loaded.chat.generateResponse(history, {
        ...this.sampling(loaded, history),
        onTextChunk: (text) => {
          if (text) onText(text);
        },
        onToken: counter.onToken,
        signal: generation,
        stopOnAbortSignal: true,
      });
      return { ...ended(response.metadata.stopReason), usage: counter.usage(loaded.answerSequence) };
    });
  }

  /** One inline suggestion (not streamed: it is post-processed whole). */
  complete(body: EmbeddedCompletionBody, signal: AbortSignal, timeoutMs: number): Promise<EmbeddedCompletionResult> {
    const timeout = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      timeout.abort();
    }, timeoutMs);
    return this.generate('completion', AbortSignal.any([signal, timeout.signal]), async (loaded, generation) => {
      const counter = tokenCounter();
      const history = body.kind === 'chat' ? toHistory(body.messages ?? []) : [];
      const maxTokens = body.kind === 'chat' ? this.fit(loaded, history, body.maxTokens) : body.maxTokens;
      const options = { maxTokens, temperature: 0, onToken: counter.onToken, signal: generation, stopOnAbortSignal: true, ...(body.stop && body.stop.length > 0 ? { customStopTriggers: body.stop } : {}) };
      let result: { response: string; metadata: { stopReason: StopReason } };
      let sequence = loaded.completionSequence;
      if (body.kind === 'chat') {
        sequence = loaded.answerSequence;
        result = await loaded.chat.generateResponse(history, options);
      } else if (body.suffix !== undefined && loaded.completion.infillSupported) {
        result = await loaded.completion.generateInfillCompletionWithMeta(body.prompt ?? '', body.suffix, options);
      } else {
        result = await loaded.completion.generateCompletionWithMeta(body.prompt ?? '', options);
      }
      return { text: result.response, ...ended(result.metadata.stopReason), usage: counter.usage(sequence) };
    })
      .catch((error: unknown) => {
        if (timedOut && !signal.aborted) throw new InactivityTimeoutError(timeoutMs / 1000);
        throw error;
      })
      .finally(() => clearTimeout(timer));
  }

  /** One agent turn: text and tool calls, or a plain refusal when the model has no function calling. */
  turn(messages: readonly ToolMessage[], tools: readonly ToolDefinition[], signal: AbortSignal, onText: (text: string) => void): Promise<EmbeddedTurnResult> {
    return this.generate('answer', signal, async (loaded, generation) => {
      if (!loaded.info.functionCalling) {
        throw new EmbeddedModelError(
          'noFunctionCalling',
          `This model cannot run Agent mode: ${loaded.info.name} has no function calling (its chat template has no tools). Ask mode, edits and inline suggestions work with it; for the agent, use a model with tool calling (such as a Qwen2.5-Coder Instruct GGUF) or a model server.`,
        );
      }
      const counter = tokenCounter();
      const history = toHistory(messages);
      const functions = toFunctions(tools);
      const response = await loaded.chat.generateResponse(history, {
        ...this.sampling(loaded, history, functions),
        functions,
        onTextChunk: (text) => {
          if (text) onText(text);
        },
        onToken: counter.onToken,
        signal: generation,
        stopOnAbortSignal: true,
      });
      const stamp = Date.now().toString(36);
      const toolCalls = (response.functionCalls ?? []).map((call, index) => ({ id: `call_${index}_${stamp}`, name: call.functionName, arguments: JSON.stringify(call.params ?? {}) }));
      const end = ended(response.metadata.stopReason);
      return { text: response.response, toolCalls, ...end, finishReason: toolCalls.length > 0 ? 'tool_calls' : end.finishReason, usage: counter.usage(loaded.answerSequence) };
    });
  }

  /** Frees the model and its context now (an idle timeout, a new model path, the benchmark). */
  async unload(): Promise<void> {
    this.cancelIdle();
    const pending = this.loading;
    if (pending) await pending.catch(() => undefined);
    const loaded = this.loaded;
    this.loaded = undefined;
    if (!loaded) return;
    loaded.chat.dispose({ disposeSequence: false });
    loaded.completion.dispose({ disposeSequence: false });
    await loaded.context.dispose();
    await loaded.model.dispose();
    this.options.log?.('info', `Built-in model ${loaded.info.name} unloaded.`);
  }

  /** Service shutdown: generation stops, the model is freed, nothing loads again. */
  async dispose(): Promise<void> {
    this.disposed = true;
    engineLog.listeners.delete(this.forward);
    await this.unload();
  }

  /**
   * Checks the model file and the engine without loading (cheap: the file's
   * header): what the status says, and the context the model will get.
   * Undefined when no built-in model is set.
   */
  async check(): Promise<EmbeddedCheck | undefined> {
    const modelPath = this.config?.modelPath;
    if (!modelPath) return undefined;
    return this.plan.check(modelPath, this.loaded?.path === modelPath ? this.loaded.info.contextSize : undefined);
  }

  /**
   * The prompt budget of an answer on the model (loaded for it: the count is
   * the model's own tokenizer, so a prompt assembled to it fits).
   */
  async promptBudget(): Promise<EmbeddedPromptBudget> {
    const loaded = await this.ensureLoaded();
    const known = new Map<string, number>();
    const count = (text: string): number => {
      let tokens = known.get(text);
      if (tokens === undefined) {
        // Unloaded meanwhile (idle, a new path): one token per character, more than BPE vocabularies take for code.
        tokens = loaded.model.disposed ? text.length : loaded.model.tokenize(text).length;
        known.set(text, tokens);
      }
      return tokens;
    };
    return { tokens: this.promptTokens(loaded.info.contextSize), count, messageOverhead: messageOverhead(loaded, count) };
  }

  /** The prompt budget announced for the model now set (after `check` or a load), without loading it. */
  plannedPromptTokens(): number | undefined {
    const contextSize = this.plan.planned(this.config?.modelPath);
    return contextSize === undefined ? undefined : this.promptTokens(contextSize);
  }

  private answerTokens(contextSize: number): number {
    return this.plan.answerTokens(contextSize);
  }

  private promptTokens(contextSize: number): number {
    return this.plan.promptTokens(contextSize);
  }

  private sampling(loaded: Loaded, history: ChatHistoryItem[], functions?: Record<string, ChatFunctionSpec>): { maxTokens: number; temperature: number; seed?: number } {
    const maxTokens = this.fit(loaded, history, this.answerTokens(loaded.info.contextSize), functions);
    return { maxTokens, temperature: 0.2, ...(this.options.seed !== undefined ? { seed: this.options.seed } : {}) };
  }

  /**
   * The answer's token limit once the prompt is counted as the model will
   * read it, so prompt and answer fit the context together (llama.cpp would
   * otherwise shift the context, and fail when the prompt alone is too long).
   * A prompt without room for an answer is refused, saying both sizes.
   */
  private fit(loaded: Loaded, history: ChatHistoryItem[], wanted: number, functions?: Record<string, ChatFunctionSpec>): number {
    const rendered = loaded.wrapper.generateContextState({ chatHistory: history, ...(functions && Object.keys(functions).length > 0 ? { availableFunctions: functions } : {}) });
    const promptTokens = rendered.contextText.tokenize(loaded.model.tokenizer).length;
    const contextSize = loaded.info.contextSize;
    const room = contextSize - promptTokens - TEMPLATE_MARGIN_TOKENS;
    if (room < Math.min(MIN_ANSWER_TOKENS, wanted)) {
      throw new EmbeddedModelError(
        'contextFull',
        `The question and its context (${promptTokens} tokens) do not fit the built-in model's context (${contextSize} tokens) with room for an answer. Remove some context (attached files, a long selection) or start a new chat, and ask again.`,
      );
    }
    return Math.min(wanted, room);
  }

  private async generate<T>(lane: Lane, signal: AbortSignal, run: (loaded: Loaded, signal: AbortSignal) => Promise<T>): Promise<T> {
    const lease = await this.slots.acquire(lane, signal);
    this.cancelIdle();
    try {
      const loaded = await this.ensureLoaded();
      if (lease.signal.aborted) throw new CancelledError();
      return await run(loaded, lease.signal);
    } catch (error) {
      // node-llama-cpp rejects with the signal's reason when nothing was generated yet.
      if (lease.signal.aborted && !(error instanceof EmbeddedModelError)) throw new CancelledError();
      throw error;
    } finally {
      lease.release();
      this.afterUse();
    }
  }

  private afterUse(): void {
    if (this.slots.busy) return;
    if (this.loaded && this.loaded.path !== this.config?.modelPath) {
      void this.unload();
      return;
    }
    this.armIdle();
  }

  private armIdle(): void {
    this.idle.arm(this.loaded ? (this.config?.idleUnloadMinutes ?? 0) : 0);
  }

  private cancelIdle(): void {
    this.idle.cancel();
  }

  private async ensureLoaded(): Promise<Loaded> {
    if (this.disposed) throw new CancelledError();
    const modelPath = this.config?.modelPath;
    if (!modelPath) throw new EmbeddedModelError('modelFile', 'No built-in model is set: set tandem.embedded.modelPath (or TANDEM_EMBEDDED_MODEL) to a GGUF file.');
    if (this.loaded?.path === modelPath) return this.loaded;
    if (this.loaded) await this.unload();
    this.loading ??= this.load(modelPath).finally(() => (this.loading = undefined));
    const loaded = await this.loading;
    if (this.disposed) {
      await this.unload();
      throw new CancelledError();
    }
    return loaded;
  }

  private async load(modelPath: string): Promise<Loaded> {
    const started = performance.now();
    const name = modelName(modelPath);
    const gpu = this.options.gpu ?? (/^(off|false|0|cpu)$/i.test(this.options.env.TANDEM_EMBEDDED_GPU ?? '') ? false : 'auto');
    const engine = await startEngine({ env: this.options.env, threads: this.threads, gpu, ...(this.options.engineFrom ? { from: this.options.engineFrom } : {}) });
    const metadata = await checkModelFile(modelPath, engine.module);
    const template = field(metadata, ['tokenizer', 'chat_template']);
    // Named off the event loop while the model loads; remembered per template for the next load.
    const formatKey = `${String(field(metadata, ['general', 'architecture']))}\n${typeof template === 'string' ? template : `file:${name}`}`;
    const format = nameChatFormat(engine.location, modelPath, formatKey);
    const model = await loadModel(engine, modelPath, name);
    try {
      // The size the status and the prompt budget announced, when they did for this file.
      const contextSize = this.plan.contextFor(modelPath, metadata);
      const context = await model.createContext({ contextSize, sequences: 2, threads: this.threads });
      // Made once per load, by name: a session left to resolve it renders the Jinja template each time (100+ ms, blocking).
      const wrapper = chatWrapperFor(engine.module, model, await format);
      if (!wrapper) throw new EmbeddedModelError('loadFailed', `The model ${name} has no chat format Tandem can use.`);
      const answerSequence = context.getSequence();
      const completionSequence = context.getSequence();
      const chat = new engine.module.LlamaChat({ contextSequence: answerSequence, chatWrapper: wrapper, autoDisposeSequence: false });
      const completion = new engine.module.LlamaCompletion({ contextSequence: completionSequence, autoDisposeSequence: false });
      const info: LoadedInfo = {
        name,
        contextSize: context.contextSize,
        threads: this.threads,
        gpu: engine.llama.gpu,
        fim: completion.infillSupported,
        functionCalling: supportsFunctions(wrapper, template),
        chatTemplate: wrapper.wrapperName,
        loadMs: performance.now() - started,
      };
      this.options.log?.(
        'info',
        `Built-in model ${name} loaded in ${Math.round(info.loadMs)} ms: context ${info.contextSize} tokens, ${info.threads} thread${info.threads === 1 ? '' : 's'}, ${info.gpu || 'CPU'}, chat format ${info.chatTemplate}, ${info.fim ? 'fill-in-the-middle' : 'no fill-in-the-middle'}, ${info.functionCalling ? 'function calling' : 'no function calling'} (engine: ${engine.location}).`,
      );
      this.plan.remember(modelPath, context.contextSize);
      const loaded: Loaded = { path: modelPath, model, wrapper, context, answerSequence, completionSequence, chat, completion, info };
      this.loaded = loaded;
      return loaded;
    } catch (error) {
      await model.dispose().catch(() => undefined);
      if (error instanceof EmbeddedModelError) throw error;
      throw new EmbeddedModelError('loadFailed', `The model ${name} loaded but its context could not be created: ${errorMessage(error)}`, { cause: error });
    }
  }
}

async function loadModel(engine: Engine, modelPath: string, name: string): Promise<LlamaModel> {
  const mark = engineLog.mark();
  try {
    return await engine.llama.loadModel({ modelPath });
  } catch (error) {
    // llama.cpp's reason reaches the log callback after the rejection, from its own thread.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = engineLog.since(mark);
    const reason = lines.filter((line) => /error|fail|invalid|missing|wrong|expected|corrupt|bounds/i.test(line)).pop() ?? lines.pop();
    throw new EmbeddedModelError('loadFailed', `The model ${name} could not be loaded: ${reason ?? errorMessage(error)}`, { cause: error });
  }
}

/** Tokens the chat template adds per message (role markers, separators), measured on a short exchange. */
function messageOverhead(loaded: Loaded, count: (text: string) => number): number {
  const sample: PlainMessage[] = [
    { role: 'system', content: 'a' },
    { role: 'user', content: 'a' },
    { role: 'assistant', content: 'a' },
    { role: 'user', content: 'a' },
  ];
  const rendered = loaded.wrapper.generateContextState({ chatHistory: toHistory(sample) }).contextText.tokenize(loaded.model.tokenizer).length;
  return Math.max(1, Math.ceil((rendered - sample.length * count('a')) / sample.length));
}

function supportsFunctions(wrapper: ChatWrapper, template: unknown): boolean {
  if (typeof template === 'string') return /\btools\b/.test(template);
  return FUNCTION_WRAPPERS.has(wrapper.wrapperName);
}

function ended(stopReason: StopReason): { finishReason: FinishReason; status: number } {
  if (stopReason === 'abort') throw new CancelledError();
  return { finishReason: stopReason === 'maxTokens' ? 'length' : stopReason === 'functionCalls' ? 'tool_calls' : 'stop', status: 200 };
}

/** Counts the generated tokens; the prompt is what the sequence holds besides them. */
function tokenCounter(): { onToken: (tokens: number[]) => void; usage(sequence: LlamaContextSequence): TokenUsage } {
  let completion = 0;
  return {
    onToken: (tokens) => {
      completion += tokens.length;
    },
    usage: (sequence) => {
      const prompt = Math.max(0, sequence.contextTokens.length - completion);
      return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
    },
  };
}
