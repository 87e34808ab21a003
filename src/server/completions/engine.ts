/**
 * The inline completion pipeline, independent of LSP: for each request,
 *   1. supersede: an older request in the same document ends now (null);
 *   2. cache: typing along (or backspacing within) a suggestion is answered at once;
 *   3. in-flight reuse: a model call whose text before the cursor this one continues is joined;
 *   4. adaptive debounce (see debounce.ts), skipped for explicit invocations;
 *   5. one model call, post-processed, cached, answered.
 * Orphaned calls (their request was cancelled) live on for a grace period,
 * see inflight.ts. Time comes from an injectable clock; the service's own
 * overhead per request is measured with a high-resolution timer, leaving out
 * the debounce and the waits for the model.
 */
import { performance } from 'node:perf_hooks';
import type { AuditContextItem } from '../../shared/audit';
import type { CompletionEventParams, CompletionStatsResult, CompletionStatusParams, Redaction, TandemSettings, TokenUsage } from '../../shared/protocol';
import { contextItem, recordModelRequest } from '../services/audit/events';
import { NO_AUDIT, type AuditSink } from '../services/audit/trail';
import { systemClock, type Clock } from '../services/clock';
import { CancelledError } from '../providers/streamErrors';
import { DEFAULT_BOUNDARY, type DataBoundary, type OutgoingRequest } from '../services/dataBoundary';
import { formatRequestLine, type ServiceLog } from '../log';
import { effectiveBaseUrl } from '../settings';
import { callModel as httpCallModel, describeCompletionFailure, isCancellation, type CallModel, type ModelRequest } from './backend';
import { classifyError } from '../providers/errors';
import { positionKey, SuggestionCache, typedSince, type CachePosition } from './cache';
import { CHARS_PER_TOKEN, cursorContext, displayPath, PROMPT_BUDGET_TOKENS, SNIPPET_TOKENS, usesHashComments, type CompletionInput, type CursorContext } from './context';
import { TypingRhythm } from './debounce';
import { detectIndentation, styleFromFormatting } from './indentation';
import { ModelCall, sleepOn } from './inflight';
import { postProcess, rightTextReplaced } from './postprocess';
import { buildModelBody, type PromptSnippet } from './prompt';
import { isSecretPath } from '../../shared/boundary/rules';
import { queryWords, SnippetIndex, type DocSnapshot } from './snippets';
import { CompletionStats } from './stats';
import { CompletionStatusTracker } from './status';
import { chooseTemplate, type ConcreteTemplate } from './templates';

/** A completion call gives up after this long (or the request timeout, if shorter). */
export const COMPLETION_TIMEOUT_S = 20;
/** Recently used documents offered for snippets. */
export const RECENT_DOCUMENTS = 10;

export interface CompletionAnswer {
  id: string;
  /** The suggestion, in the document's line breaks. */
  insertText: string;
  /** How many characters right of the cursor, on its line, the suggestion replaces (0: it is inserted). */
  replace: number;
  source: 'cache' | 'inFlight' | 'model';
}

export interface EngineOptions {
  log: ServiceLog;
  /** Open documents (for snippets of recently used files). */
  documents?: { get(uri: string): DocSnapshot | undefined };
  sendStatus?: (status: CompletionStatusParams) => void;
  clock?: Clock;
  callModel?: CallModel;
  /** High-resolution time in ms for the overhead figures. */
  perfNow?: () => number;
  /**
   * Why a document must not be completed in or used for snippets (a secret,
   * an ignored file, a link out of the workspace), or undefined. Default: secrets by name.
   */
  excluded?: (uri: string) => string | undefined;
  /** The audit trail (default: none): model calls, and suggestions shown and accepted. */
  audit?: AuditSink;
  /** What may leave the machine: the endpoint, and the prompt's contents. Default: every content redacted. */
  boundary?: DataBoundary;
}

/** Suggestions remembered for the audit's completion events (the newest; older ones are named by id only). */
const AUDITED_ITEMS = 256;

interface Target {
  baseUrl: string;
  model: string;
  template: ConcreteTemplate;
}

export class CompletionEngine {
  private readonly stats = new CompletionStats();
  private readonly cache = new SuggestionCache();
  private readonly rhythm = new TypingRhythm();
  private readonly snippets = new SnippetIndex();
  private readonly calls = new Set<ModelCall>();
  private readonly latest = new Map<string, AbortController>();
  private readonly recent: string[] = [];
  private readonly status: CompletionStatusTracker;
  private readonly clock: Clock;
  private readonly callModel: CallModel;
  private readonly perfNow: () => number;
  private roots: string[] = [];
  private repoName = 'workspace';
  private nextId = 0;
  private nextCall = 0;
  private readonly audit: AuditSink;
  /** Item id → what the audit says of it when it is shown or accepted. */
  private readonly items = new Map<string, { path: string; chars: number; text: string }>();

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.callModel = options.callModel ?? httpCallModel;
    this.perfNow = options.perfNow ?? (() => performance.now());
    this.status = new CompletionStatusTracker(options.sendStatus ?? (() => undefined));
    this.audit = options.audit ?? NO_AUDIT;
  }

  /** Workspace folder URIs (paths are shown relative to them) and the repository name for Qwen's format. */
  setWorkspace(roots: readonly string[], repoName: string): void {
    this.roots = [...roots];
    this.repoName = repoName || 'workspace';
  }

  didOpen(uri: string): void {
    this.touch(uri);
  }

  /** A content change: part of the typing rhythm, and the document is recently used. */
  didChange(uri: string): void {
    this.rhythm.record(uri, this.clock.now());
    this.touch(uri);
  }

  didClose(uri: string): void {
    this.rhythm.forget(uri);
    this.cache.forget(uri);
    this.snippets.forget(uri);
    const index = this.recent.indexOf(uri);
    if (index >= 0) {
      this.recent.splice(index, 1);
    }
    for (const call of this.calls) {
      if (call.key.uri === uri) {
        this.abortCall(call);
      }
    }
  }

  event(params: CompletionEventParams): void {
    this.stats.event(params.kind);
    if (this.audit.active) this.auditEvent(params);
  }

  /** On the hot path (every suggestion shown): one small line, no hashing. */
  private auditEvent(params: CompletionEventParams): void {
    const item = this.items.get(params.id);
    const accepted = params.kind === 'accepted' ? item?.chars : params.acceptedChars;
    this.audit.record({
      type: params.kind === 'shown' ? 'completion.shown' : params.kind === 'accepted' ? 'completion.accepted' : 'completion.partiallyAccepted',
      actor: params.kind === 'shown' ? 'model' : 'person',
      request: params.id,
      ...(item ? { path: item.path, chars: item.chars } : {}),
      ...(params.kind !== 'shown' && accepted !== undefined ? { acceptedChars: accepted } : {}),
      ...(item && this.audit.contents === 'all' ? { text: item.text } : {}),
    });
  }

  snapshot(): CompletionStatsResult {
    return this.stats.snapshot();
  }

  currentStatus(): CompletionStatusParams {
    return this.status.current();
  }

  /** Aborts every model call (shutdown). */
  dispose(): void {
    for (const call of [...this.calls]) {
      this.abortCall(call);
    }
    for (const controller of this.latest.values()) {
      controller.abort();
    }
  }

  /** The suggestion at the cursor, or undefined (none, superseded or cancelled). */
  async provide(input: CompletionInput, settings: TandemSettings, signal: AbortSignal): Promise<CompletionAnswer | undefined> {
    if (this.isExcluded(input.uri)) {
      // .env files, keys, credentials, ignored files: their text never goes to a model.
      return undefined;
    }
    const started = this.perfNow();
    let waited = 0;
    const timed = async <T>(promise: Promise<T>): Promise<T> => {
      const from = this.perfNow();
      try {
        return await promise;
      } finally {
        waited += this.perfNow() - from;
      }
    };
    this.stats.count('requests');
    this.touch(input.uri);
    const { own, release } = this.supersede(input.uri, signal);
    try {
      const ctx = cursorContext(input);
      const position: CachePosition = { uri: input.uri, text: input.text, offset: input.offset, suffixWindow: ctx.suffixWindow };
      this.abortUnusable(position);
      const hit = this.cache.lookup(position);
      if (hit) {
        this.stats.count('cacheHits');
        return this.answer(hit.rest, ctx, 'cache', started, waited);
      }
      const target = this.target(settings);
      if (!target) {
        return undefined;
      }
      let debounce = input.triggerKind === 1 ? 0 : this.rhythm.delayMs(input.uri, settings.completions.debounceMs);
      const running = this.reusableCall(position);
      if (running) {
        const joinedAt = this.clock.now();
        const suggestion = await timed(running.join(own.signal));
        if (own.signal.aborted) {
          return undefined;
        }
        const typed = typedSince(running.key, position) ?? '';
        if (suggestion && suggestion.length > typed.length && suggestion.startsWith(typed) && suggestion.slice(typed.length).trim()) {
          this.stats.count('reusedInFlight');
          return this.answer(suggestion.slice(typed.length), ctx, 'inFlight', started, waited - running.processingMs);
        }
        debounce = Math.max(0, debounce - (this.clock.now() - joinedAt));
      }
      if (debounce > 0) {
        if (!(await timed(sleepOn(this.clock, debounce, own.signal)))) {
          this.stats.count('debounced');
          return undefined;
        }
        // A call that ended meanwhile may have left what this request needs.
        const late = this.cache.lookup(position);
        if (late) {
          this.stats.count('cacheHits');
          return this.answer(late.rest, ctx, 'cache', started, waited);
        }
      }
      const call = this.startCall(ctx, position, target, settings);
      const suggestion = await timed(call.join(own.signal));
      if (own.signal.aborted) {
        return undefined;
      }
      return this.answer(suggestion ?? '', ctx, 'model', started, waited - call.processingMs);
    } finally {
      release();
    }
  }

  /** An older request in the same document ends now; this one ends with `signal` too. */
  private supersede(uri: string, signal: AbortSignal): { own: AbortController; release: () => void } {
    this.latest.get(uri)?.abort();
    const own = new AbortController();
    this.latest.set(uri, own);
    const onAbort = (): void => own.abort();
    if (signal.aborted) {
      own.abort();
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
    }
    const release = (): void => {
      signal.removeEventListener('abort', onAbort);
      if (this.latest.get(uri) === own) {
        this.latest.delete(uri);
      }
    };
    return { own, release };
  }

  /** Orphaned calls in this document that this request cannot continue are aborted now. */
  private abortUnusable(position: CachePosition): void {
    for (const call of [...this.calls]) {
      if (call.key.uri === position.uri && call.orphaned && typedSince(call.key, position) === undefined) {
        this.abortCall(call);
      }
    }
  }

  private reusableCall(position: CachePosition): ModelCall | undefined {
    let found: ModelCall | undefined;
    for (const call of this.calls) {
      if (call.live && typedSince(call.key, position) !== undefined) {
        found = call;
      }
    }
    return found;
  }

  private abortCall(call: ModelCall): void {
    this.calls.delete(call);
    if (call.abort()) {
      this.stats.count('modelCallsCancelled');
    }
  }

  private target(settings: TandemSettings): Target | undefined {
    const baseUrl = settings.completions.baseUrl || effectiveBaseUrl(settings);
    const model = settings.completionModel;
    if (!baseUrl || !model) {
      this.status.fail(
        !baseUrl
          ? 'Inline completions have no endpoint: set tandem.baseUrl (or tandem.completions.baseUrl).'
          : 'Inline completions have no model: set tandem.completionModel (or tandem.model).',
      );
      return undefined;
    }
    return { baseUrl, model, template: chooseTemplate(model, settings.completions.template) };
  }

  private answer(text: string, ctx: CursorContext, source: CompletionAnswer['source'], started: number, waited: number): CompletionAnswer | undefined {
    // Recomputed here, not cached: a suggestion typed along replaces as much of the line as the whole one did.
    const replace = text ? rightTextReplaced(text.replace(/\r\n/g, '\n'), ctx.prefixWindow.replace(/\r\n/g, '\n'), ctx.rightText, usesHashComments(ctx.languageId)) : 0;
    const result = text ? { id: `tc${++this.nextId}`, insertText: text, replace, source } : undefined;
    if (result && this.audit.active) {
      this.items.set(result.id, { path: displayPath(ctx.uri, this.roots), chars: text.length, text });
      if (this.items.size > AUDITED_ITEMS) this.items.delete(this.items.keys().next().value ?? '');
    }
    this.stats.addOverhead(Math.max(0, this.perfNow() - started - waited));
    return result;
  }

  private startCall(ctx: CursorContext, position: CachePosition, target: Target, settings: TandemSettings): ModelCall {
    for (const other of [...this.calls]) {
      if (other.key.uri === ctx.uri && other.orphaned) {
        this.abortCall(other);
      }
    }
    const timeoutMs = Math.min(settings.requestTimeout, COMPLETION_TIMEOUT_S) * 1000;
    const path = displayPath(ctx.uri, this.roots);
    const snippets = this.snippetsFor(ctx);
    const body = buildModelBody({
      ctx,
      template: target.template,
      model: target.model,
      path,
      repoName: this.repoName,
      snippets,
      maxLines: settings.completions.maxLines,
    });
    const request: ModelRequest = { baseUrl: target.baseUrl, apiKey: settings.apiKey, model: target.model, timeoutMs, body };
    const graceMs = this.rhythm.delayMs(ctx.uri, settings.completions.debounceMs);
    // What the audit names as sent: the text around the cursor and each snippet, by digest (hashed once per model call, never per keystroke).
    const sent = this.audit.active ? [contextItem('cursor', path, ctx.prefixWindow + ctx.suffixWindow), ...snippets.map((snippet) => contextItem('snippet', snippet.path, snippet.text))] : [];
    const call = new ModelCall(positionKey(position), (self) => this.run(self, request, ctx, target, settings, sent), this.clock, graceMs, (orphan) => this.abortCall(orphan));
    this.calls.add(call);
    this.stats.count('modelCalls');
    return call;
  }

  private async run(call: ModelCall, request: ModelRequest, ctx: CursorContext, target: Target, settings: TandemSettings, sent: AuditContextItem[]): Promise<string | undefined> {
    const log = this.options.log;
    const started = this.perfNow();
    const callId = `cm${++this.nextCall}`;
    const audit = (outcome: 'ok' | 'cancelled' | 'error', extra: { usage?: TokenUsage; finishReason?: string; error?: string; answer?: string } = {}): void =>
      recordModelRequest(this.audit, {
        actor: 'person',
        request: callId,
        purpose: 'completion',
        model: target.model,
        baseUrl: target.baseUrl,
        context: sent,
        ...redactionsOf(opened),
        ...(extra.usage ? { usage: extra.usage } : {}),
        totalMs: this.perfNow() - started,
        attempts: 1,
        outcome: outcome === 'ok' ? { outcome, finishReason: extra.finishReason ?? 'stop' } : outcome === 'error' ? { outcome, error: extra.error ?? 'unknown' } : { outcome },
        ...(extra.answer !== undefined ? { answer: extra.answer } : {}),
      });
    const line = (status: number | string, extra: string): string =>
      `${formatRequestLine({ method: 'textDocument/inlineCompletion', model: target.model, endpoint: target.baseUrl, status, totalMs: this.perfNow() - started })} template=${target.template}${extra}`;
    const opened = (this.options.boundary ?? DEFAULT_BOUNDARY).open('completion', target.baseUrl, settings);
    if ('refused' in opened) {
      log.warn(`${line(opened.refused.kind, '')}: ${opened.refused.message}`);
      this.status.fail(opened.refused.message);
      return undefined;
    }
    this.status.callStarted();
    try {
      // The prefix, the suffix and other files' snippets, redacted: a key above the cursor is not sent either.
      const cleared: ModelRequest = { ...request, body: await clearBody(request.body, opened) };
      if (call.controller.signal.aborted) throw new CancelledError();
      if (settings.logContents) {
        log.info(`textDocument/inlineCompletion request ${JSON.stringify(cleared.body)}`);
      }
      opened.markSent();
      const answer = await this.callModel(cleared, call.controller.signal);
      const from = this.perfNow();
      // A placeholder the model repeated becomes the value again: the suggestion is inserted locally.
      let { text } = postProcess(opened.restore(answer.text), {
        template: target.template,
        finishReason: answer.finishReason,
        languageId: ctx.languageId,
        prefix: ctx.prefixWindow.replace(/\r\n/g, '\n'),
        suffix: ctx.suffixWindow.replace(/\r\n/g, '\n'),
        linePrefix: ctx.linePrefix,
        rightText: ctx.rightText,
        lineIndent: ctx.lineIndent,
        singleLine: ctx.singleLine,
        indent: styleFromFormatting(ctx.formatting) ?? detectIndentation(ctx.text),
        maxLines: settings.completions.maxLines,
        hashComments: usesHashComments(ctx.languageId),
        path: displayPath(ctx.uri, this.roots),
      });
      if (ctx.eol === '\r\n') {
        text = text.replace(/\n/g, '\r\n');
      }
      if (text) {
        this.cache.put({ ...call.key, suggestion: text });
      }
      call.processingMs = this.perfNow() - from;
      const tokens = answer.usage ? ` tokens=${answer.usage.promptTokens}+${answer.usage.completionTokens}` : '';
      log.info(line(answer.status, `${tokens} prompt=${promptChars(request)}ch lines=${text ? text.split('\n').length : 0}`));
      if (settings.logContents) {
        log.info(`textDocument/inlineCompletion answer ${JSON.stringify(answer.text)} -> ${JSON.stringify(opened.mask(text))}`);
      }
      this.status.callEnded('');
      audit('ok', { ...(answer.usage ? { usage: answer.usage } : {}), finishReason: answer.finishReason, answer: answer.text });
      return text;
    } catch (error) {
      if (isCancellation(error)) {
        log.info(line('cancelled', ''));
        this.status.callEnded(undefined);
        audit('cancelled');
        return undefined;
      }
      const message = describeCompletionFailure(error, { ...target, apiKey: settings.apiKey, timeoutMs: request.timeoutMs });
      log.warn(`${line('error', '')}: ${message}`);
      this.status.callEnded(message);
      audit('error', { error: classifyError(error).kind });
      return undefined;
    } finally {
      this.calls.delete(call);
    }
  }

  private snippetsFor(ctx: CursorContext): PromptSnippet[] {
    const documents = this.options.documents;
    if (!documents) {
      return [];
    }
    const used = ctx.prefixWindow.length + ctx.suffixWindow.length;
    const budget = Math.min(SNIPPET_TOKENS * CHARS_PER_TOKEN, PROMPT_BUDGET_TOKENS * CHARS_PER_TOKEN - used);
    // Only files of the same language family: they are the useful ones, and a file in a language
    // where suggestions are switched off (say, a .env) never ends up in another file's prompt.
    const docs = this.recent
      .filter((uri) => uri !== ctx.uri)
      .flatMap((uri) => documents.get(uri) ?? [])
      .filter((doc) => languageFamily(doc.languageId) === languageFamily(ctx.languageId) && !this.isExcluded(doc.uri));
    return this.snippets.best(queryWords(ctx.prefixWindow), docs, budget).map((snippet) => ({ path: displayPath(snippet.uri, this.roots), text: snippet.text }));
  }

  private isExcluded(uri: string): boolean {
    return (this.options.excluded ?? defaultExcluded)(uri) !== undefined;
  }

  private touch(uri: string): void {
    if (this.recent[0] === uri) {
      return;
    }
    const index = this.recent.indexOf(uri);
    if (index >= 0) {
      this.recent.splice(index, 1);
    }
    this.recent.unshift(uri);
    this.recent.length = Math.min(this.recent.length, RECENT_DOCUMENTS);
  }
}

async function clearBody(body: ModelRequest['body'], outgoing: OutgoingRequest): Promise<ModelRequest['body']> {
  if (body.kind === 'chat') return { ...body, messages: await outgoing.messages(body.messages) };
  const [prompt = '', suffix = ''] = await outgoing.texts([body.prompt, body.suffix ?? '']);
  return { ...body, prompt, ...(body.suffix !== undefined ? { suffix } : {}) };
}

function promptChars(request: ModelRequest): number {
  const body = request.body;
  return body.kind === 'chat' ? body.messages.reduce((sum, message) => sum + message.content.length, 0) : body.prompt.length + (body.suffix?.length ?? 0);
}

const FAMILIES: Readonly<Record<string, string>> = {
  typescript: 'js',
  typescriptreact: 'js',
  javascript: 'js',
  javascriptreact: 'js',
  vue: 'js',
  svelte: 'js',
  c: 'c',
  cpp: 'c',
  'objective-c': 'c',
  'objective-cpp': 'c',
  cuda: 'c',
};

/** Languages whose files are useful context for each other. */
export function languageFamily(languageId: string): string {
  return FAMILIES[languageId] ?? languageId;
}

function defaultExcluded(uri: string): string | undefined {
  return isSecretPath(uri.replace(/^[a-z][a-z0-9+.-]*:\/*/i, '/')) ? 'a secrets file' : undefined;
}

/** The kinds and counts of what the data boundary redacted from a request, for its audit event (never the values). */
function redactionsOf(opened: OutgoingRequest | { refused: unknown }): { redactions?: Redaction[] } {
  if ('refused' in opened) return {};
  const { redactions } = opened.report();
  return redactions.length > 0 ? { redactions } : {};
}
