/**
 * The part of node-llama-cpp's API Tandem uses, declared here: the package is
 * loaded at run time from outside the bundle (engine.ts), so its own types
 * are not resolvable when the service is typechecked. Only what is called is
 * declared; node-llama-cpp 3.22's shapes (scripts/engine/package.json pins it).
 */

export type LogLevel = 'disabled' | 'fatal' | 'error' | 'warn' | 'info' | 'log' | 'debug';
export type Token = number;

export interface GetLlamaOptions {
  gpu: 'auto' | false;
  build: 'never';
  logLevel: LogLevel;
  logger: (level: LogLevel, message: string) => void;
  maxThreads: number;
  /** Never print build progress (it would go to stdout). */
  progressLogs: false;
  skipDownload: true;
}

export interface Llama {
  loadModel(options: { modelPath: string; gpuLayers?: number | 'auto'; useMmap?: boolean }): Promise<LlamaModel>;
  readonly gpu: string | false;
  dispose(): Promise<void>;
}

export interface LlamaModel {
  readonly trainContextSize: number;
  readonly size: number;
  readonly tokens: { readonly infill: { readonly prefix: Token | null; readonly suffix: Token | null; readonly middle: Token | null } };
  readonly fileInfo: { readonly metadata: unknown };
  readonly disposed: boolean;
  /** Opaque: passed back to a rendered chat's `tokenize`. */
  readonly tokenizer: unknown;
  tokenize(text: string): Token[];
  createContext(options: { contextSize: number; sequences: number; threads: number; batchSize?: number }): Promise<LlamaContext>;
  dispose(): Promise<void>;
}

export interface LlamaContext {
  readonly contextSize: number;
  getSequence(): LlamaContextSequence;
  dispose(): Promise<void>;
}

export interface LlamaContextSequence {
  readonly contextTokens: Token[];
  clearHistory(): Promise<void>;
  dispose(): void;
}

/** An opaque chat wrapper (the GGUF's template, resolved once per model). */
export interface ChatWrapper {
  readonly wrapperName: string;
  /** The history as the model will read it (template, and the functions' documentation when given). */
  generateContextState(options: { chatHistory: ChatHistoryItem[]; availableFunctions?: Record<string, ChatFunctionSpec> }): { contextText: { tokenize(tokenizer: unknown): Token[] } };
}

export type ChatHistoryItem =
  | { type: 'system'; text: string }
  | { type: 'user'; text: string }
  | { type: 'model'; response: Array<string | ChatFunctionCall> };

export interface ChatFunctionCall {
  type: 'functionCall';
  name: string;
  params: unknown;
  result: unknown;
}

export type StopReason = 'eogToken' | 'stopGenerationTrigger' | 'functionCalls' | 'maxTokens' | 'abort' | 'customStopTrigger';

export interface GenerateOptions {
  onTextChunk?: (text: string) => void;
  onToken?: (tokens: Token[]) => void;
  signal?: AbortSignal;
  stopOnAbortSignal?: boolean;
  maxTokens?: number;
  temperature?: number;
  seed?: number;
  customStopTriggers?: readonly string[];
}

export interface ChatFunctionSpec {
  description?: string;
  params?: unknown;
}

export interface LlamaChat {
  generateResponse(
    history: ChatHistoryItem[],
    options: GenerateOptions & { functions?: Record<string, ChatFunctionSpec> },
  ): Promise<{ response: string; functionCalls?: Array<{ functionName: string; params: unknown }>; metadata: { stopReason: StopReason } }>;
  dispose(options?: { disposeSequence?: boolean }): void;
}

export interface LlamaCompletion {
  readonly infillSupported: boolean;
  generateCompletionWithMeta(input: string, options: GenerateOptions): Promise<{ response: string; metadata: { stopReason: StopReason } }>;
  generateInfillCompletionWithMeta(prefix: string, suffix: string, options: GenerateOptions): Promise<{ response: string; metadata: { stopReason: StopReason } }>;
  dispose(options?: { disposeSequence?: boolean }): void;
}

/** A tensor as the GGUF header lists it (`fileOffset`: where its data starts in the file). */
export interface GgufTensor {
  readonly name: string;
  readonly dimensions: ReadonlyArray<number | bigint>;
  readonly ggmlType: number;
  readonly fileOffset: number | bigint;
}

/** The module's exports Tandem uses. */
export interface EngineModule {
  getLlama(options: GetLlamaOptions): Promise<Llama>;
  resolveChatWrapper(model: LlamaModel, options?: { type?: string }): ChatWrapper | null;
  /** The chat formats by name (the `type` above). */
  chatWrappers: Record<string, unknown>;
  readGgufFileInfo(path: string, options: { readTensorInfo: boolean; logWarnings: boolean }): Promise<{ metadata: unknown; tensorInfo?: readonly GgufTensor[] }>;
  LlamaChat: new (options: { contextSequence: LlamaContextSequence; chatWrapper: ChatWrapper; autoDisposeSequence: boolean }) => LlamaChat;
  LlamaCompletion: new (options: { contextSequence: LlamaContextSequence; autoDisposeSequence: boolean }) => LlamaCompletion;
}

/** Whether an imported module has the exports above (a wrong package or version fails here, clearly). */
export function isEngineModule(value: unknown): value is EngineModule {
  if (typeof value !== 'object' || value === null) return false;
  return ['getLlama', 'resolveChatWrapper', 'readGgufFileInfo', 'LlamaChat', 'LlamaCompletion'].every((name) => typeof Reflect.get(value, name) === 'function');
}
