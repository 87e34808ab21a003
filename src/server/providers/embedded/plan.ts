/**
 * The context a model file will get and the prompt budget that follows,
 * decided before it loads (from the file's header and the free memory) so
 * the status can announce it. One plan per model, shared by the service
 * (which announces it: engineHost.ts) and the engine's process (which loads
 * with the size the service announced: runtime.ts), so both say the same.
 */
import { freemem } from 'node:os';
import { errorMessage } from '../../../shared/guards';
import { importEngine } from './engine';
import { EmbeddedModelError } from './errors';
import { checkModelFile, modelName } from './modelFile';
import { chooseContextSize, field, modelShape } from './resources';

/** The built-in model as checked before it loads: usable, with the context it will get, or why not. */
export type EmbeddedCheck =
  | { ok: true; name: string; contextTokens: number; promptTokens: number }
  | { ok: false; name: string; problem: string };

export interface ContextPlanOptions {
  env: NodeJS.ProcessEnv;
  freeMemory?: () => number;
  engineFrom?: string;
  /** Most tokens of one answer; default: half the context, at most 2,048. */
  maxAnswerTokens?: number;
}

/** Tokens the chat template may add beyond what is counted (the answer's opening, a stray separator). */
export const TEMPLATE_MARGIN_TOKENS = 16;
/** An answer shorter than this is not worth starting: the prompt is refused instead. */
export const MIN_ANSWER_TOKENS = 32;

export class ContextPlan {
  /** The context size chosen for a model file (announced before it loads; the load uses it, then it is the loaded size). */
  private plan: { path: string; contextSize: number } | undefined;

  constructor(private readonly options: ContextPlanOptions) {}

  /**
   * Checks the model file and the engine without loading (cheap: the file's
   * header). `loadedContext`: the context of the file as loaded now.
   */
  async check(modelPath: string, loadedContext?: number): Promise<EmbeddedCheck> {
    const name = modelName(modelPath);
    try {
      const { module } = await importEngine(this.options.env, this.options.engineFrom);
      const metadata = await checkModelFile(modelPath, module);
      const contextTokens = loadedContext ?? this.choose(modelPath, metadata);
      return { ok: true, name, contextTokens, promptTokens: this.promptTokens(contextTokens) };
    } catch (error) {
      return { ok: false, name, problem: error instanceof EmbeddedModelError ? error.message : `The built-in model ${name} could not be checked: ${errorMessage(error)}` };
    }
  }

  /** The size announced for this file when there is one, else chosen now. */
  contextFor(modelPath: string, metadata: unknown): number {
    return this.plan?.path === modelPath ? this.plan.contextSize : this.choose(modelPath, metadata);
  }

  /** The size a file got (a load, or the service's announcement passed to the engine's process). */
  remember(modelPath: string, contextSize: number): void {
    this.plan = { path: modelPath, contextSize };
  }

  /** The context announced for this file, if any. */
  planned(modelPath: string | undefined): number | undefined {
    return modelPath !== undefined && this.plan?.path === modelPath ? this.plan.contextSize : undefined;
  }

  /** The answer's share of a context. */
  answerTokens(contextSize: number): number {
    return this.options.maxAnswerTokens ?? Math.min(2048, Math.floor(contextSize / 2));
  }

  /** What a prompt may take of a context: the rest after the answer and the template's margin. */
  promptTokens(contextSize: number): number {
    return Math.max(MIN_ANSWER_TOKENS, contextSize - this.answerTokens(contextSize) - TEMPLATE_MARGIN_TOKENS);
  }

  /** Chooses (and remembers) the context size for a model file from its metadata and the free memory now. */
  private choose(modelPath: string, metadata: unknown): number {
    const arch = field(metadata, ['general', 'architecture']);
    const trained = typeof arch === 'string' ? Number(field(metadata, [arch, 'context_length'])) : Number.NaN;
    const trainContextSize = Number.isFinite(trained) && trained > 0 ? trained : 0;
    const shape = modelShape(metadata, trainContextSize);
    const free = (this.options.freeMemory ?? freemem)();
    const contextSize = shape ? chooseContextSize(shape, free) : Math.min(2048, trainContextSize || 2048);
    this.remember(modelPath, contextSize);
    return contextSize;
  }
}
