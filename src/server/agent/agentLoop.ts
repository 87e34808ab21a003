/**
 * The agent loop (tandem/agentRun): ask the model with the tools, run the
 * tool calls it makes, give it the results, repeat until it calls `finish`,
 * answers without a tool call, or a limit stops it: `maxSteps` model turns,
 * `maxTokens` over all requests, the same call three times in a row, or Stop
 * (the abort signal closes the HTTP request and cancels pending client calls).
 * At most `maxToolCallsPerTurn` calls of one turn run; the rest are refused.
 */
import type { AgentProgressParams, AgentRunParams, AgentRunResult, AgentStep, ClientToolCall, ClientToolParams, ClientToolResult } from '../../shared/agentProtocol';
import type { ChatDeltaParams, ChatError, ChatNoticeParams, TandemSettings, TokenUsage } from '../../shared/protocol';
import { DeltaCoalescer, systemClock, type Clock } from '../chat/coalescer';
import { retryDelayMs, retryMessage } from '../chat/retry';
import type { ServiceLog } from '../log';
import { classifyError, describeFailure } from '../providers/errors';
import { displayUrl } from '../redact';
import { effectiveBaseUrl } from '../settings';
import { sleep as realSleep } from '../util/abort';
import { addUsage, elideOldToolResults, estimateCostUsd, estimateRequestTokens, estimateTokens, WINDOW_BUDGET_TOKENS, type WireMessage } from './context';
import { streamTurn, type ModelToolCall, type StreamTurn, type TurnResult } from './modelTurn';
import { agentSystemPrompt, AGENT_TOOLS } from './prompt';
import { boundaryReader, findTestCommand, loadAgentsRules } from './rules';
import { runTool } from './toolRunner';
import { isToolName, StepCard, type TestRuns } from './steps';
import { AgentWorkspace } from './workspace';

export interface AgentDeps {
  sendDelta(params: ChatDeltaParams): void;
  sendNotice(params: ChatNoticeParams): void;
  sendStep(params: { streamId: string; step: AgentStep }): void;
  sendProgress(params: AgentProgressParams): void;
  /** Service → client request; must reject (or resolve) promptly once `signal` aborts. */
  callClient(params: ClientToolParams, signal: AbortSignal): Promise<ClientToolResult>;
  log: ServiceLog;
  clock?: Clock;
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  stream?: StreamTurn;
  windowBudgetTokens?: number;
  /** Benchmarks: the service's own time per step and per turn (model and client time excluded). */
  onTiming?: (entry: { kind: 'turn' | 'step'; id: string; serviceMs: number; estimatedPromptTokens?: number }) => void;
}

/** The same call (name and arguments) this many times in a row stops the task. */
export const REPEAT_LIMIT = 3;

class Cancelled extends Error {}

export async function runAgent(params: AgentRunParams, settings: TandemSettings, signal: AbortSignal, deps: AgentDeps): Promise<AgentRunResult> {
  const clock = deps.clock ?? systemClock;
  const model = params.model?.trim() || settings.model;
  const baseUrl = effectiveBaseUrl(settings);
  const stream = deps.stream ?? streamTurn;
  const wait = deps.sleep ?? realSleep;
  let usage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  const promptTokensPerRequest: number[] = [];
  let steps = 0;
  let finalText = '';
  const result = (finishReason: AgentRunResult['finishReason'], text: string, error?: ChatError): AgentRunResult => ({
    text,
    finishReason,
    model,
    steps,
    usage,
    promptTokensPerRequest,
    ...(error ? { error } : {}),
  });
  if (!baseUrl || !model) {
    return result('error', '', {
      kind: 'notConfigured',
      message: !baseUrl ? 'No model service is configured. Set a base URL or an API key.' : 'No model is chosen. Pick one with “Tandem: Choose Model”.',
      action: !baseUrl ? 'openSettings' : 'pickModel',
    });
  }

  const prep = performance.now();
  const ws = new AgentWorkspace(params.root);
  const rules = loadAgentsRules(params.root, params.activeFile, boundaryReader(ws.boundary));
  const testCommand = findTestCommand(params.root, params.settings.testCommand, boundaryReader(ws.boundary));
  const system = agentSystemPrompt({ root: params.root, policy: params.settings.policy, testCommand, rules: rules.text, ...(params.activeFile ? { activeFile: params.activeFile } : {}) });
  const messages: WireMessage[] = [{ role: 'system', content: system }, ...params.messages.map((m): WireMessage => ({ role: m.role, content: m.content }))];
  const allowedPrograms = new Set<string>();
  const allowedProtected = new Set<string>();
  const tests: TestRuns = { command: testCommand, failed: 0 };
  let buffersLoaded = false;
  let stepCounter = 0;
  let lastSignature = '';
  let repeats = 0;
  // The model's own count of the last prompt over our estimate of it: estimates are
  // scaled by it, so the window and the budget follow the chosen model's tokenizer.
  let calibration = 1;
  deps.log.info(`tandem/agentRun start: policy=${params.settings.policy} maxSteps=${params.settings.maxSteps} rules=${rules.files.length} test=${testCommand || 'none'}`);

  const callClient = async (stepId: string, call: ClientToolCall): Promise<ClientToolResult> => {
    if (signal.aborted) throw new Cancelled();
    try {
      return await untilAborted(deps.callClient({ streamId: params.streamId, stepId, call }, signal), signal);
    } catch (error) {
      if (signal.aborted) throw new Cancelled();
      throw error;
    }
  };
  const ensureBuffers = async (stepId: string): Promise<void> => {
    if (buffersLoaded) return;
    buffersLoaded = true;
    try {
      const answer = await callClient(stepId, { kind: 'openBuffers' });
      if (answer.kind === 'openBuffers') ws.setBuffers(answer.files);
    } catch (error) {
      if (error instanceof Cancelled) throw error;
      deps.log.warn(`tandem/agentRun: no open buffers from the client: ${String(error)}`);
    }
  };
  // A command may have changed files: what changed on disk since an edit landed is read again.
  const onCommandRan = (): void => ws.refreshApplied();
  let prepMs = performance.now() - prep;

  try {
    for (let turn = 1; ; turn++) {
      const turnStarted = performance.now();
      if (turn > params.settings.maxSteps) {
        return result('stepLimit', `${finalText}${finalText ? '\n\n' : ''}Stopped: the task reached the limit of ${params.settings.maxSteps} model turns. Continue with a new request, or raise tandem.agent.maxSteps.`);
      }
      const elided = elideOldToolResults(messages, AGENT_TOOLS, Math.floor((deps.windowBudgetTokens ?? WINDOW_BUDGET_TOKENS) / calibration));
      if (elided > 0) deps.log.info(`tandem/agentRun: elided ${elided} old tool outputs to stay within the window`);
      const rawEstimate = estimateRequestTokens(messages, AGENT_TOOLS);
      const estimate = Math.ceil(rawEstimate * calibration);
      if (usage.totalTokens + estimate > params.settings.maxTokens) {
        return result('tokenLimit', `${finalText}${finalText ? '\n\n' : ''}Stopped: the task would exceed its budget of ${params.settings.maxTokens} tokens (${usage.totalTokens} used). Continue with a new request, or raise tandem.agent.maxTokens.`);
      }
      deps.onTiming?.({ kind: 'turn', id: String(turn), serviceMs: prepMs + performance.now() - turnStarted, estimatedPromptTokens: rawEstimate });
      prepMs = 0;

      const outcome = await requestTurn(estimate);
      if ('cancelled' in outcome) return result('cancelled', finalText);
      if ('error' in outcome) return result('error', finalText, outcome.error);
      const turnResult = outcome.turn;
      const afterTurn = performance.now();
      const turnUsage = turnResult.usage ?? {
        promptTokens: estimate,
        completionTokens: estimateTokens(turnResult.text) + turnResult.toolCalls.reduce((sum, call) => sum + estimateTokens(call.arguments), 0),
        totalTokens: 0,
      };
      if (!turnResult.usage) turnUsage.totalTokens = turnUsage.promptTokens + turnUsage.completionTokens;
      if (turnResult.usage && turnResult.usage.promptTokens > 0 && rawEstimate > 0) {
        calibration = Math.min(4, Math.max(0.25, turnResult.usage.promptTokens / rawEstimate));
      }
      usage = addUsage(usage, turnUsage);
      promptTokensPerRequest.push(turnUsage.promptTokens);
      const cost = estimateCostUsd(model, usage);
      deps.sendProgress({ streamId: params.streamId, usage, lastPromptTokens: turnUsage.promptTokens, ...(cost !== undefined ? { costUsd: cost } : {}) });
      if (turnResult.text.trim()) finalText = turnResult.text.trim();

      if (turnResult.toolCalls.length === 0) {
        return result(turnResult.finishReason === 'length' ? 'length' : 'stop', turnResult.text.trim() || finalText);
      }
      messages.push({
        role: 'assistant',
        content: turnResult.text || null,
        tool_calls: turnResult.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
      });
      let why = firstSentence(turnResult.text);
      let serviceMs = performance.now() - afterTurn;
      // One turn may not fan out into any number of calls (commands, reads): the rest are refused, each answered.
      const cap = params.settings.maxToolCallsPerTurn;
      const runnable = turnResult.toolCalls.slice(0, cap);
      const overCap = turnResult.toolCalls.slice(cap);
      for (const [index, call] of runnable.entries()) {
        const signature = `${call.name}\u0000${canonicalArgs(call.arguments)}`;
        repeats = signature === lastSignature ? repeats + 1 : 1;
        lastSignature = signature;
        if (repeats >= REPEAT_LIMIT) {
          answerRemaining(turnResult.toolCalls.slice(index));
          return result('stepLimit', `Stopped: the model called ${call.name} with the same arguments ${REPEAT_LIMIT} times in a row, so it seems to be stuck in a loop. Try rephrasing the task or giving more detail.`);
        }
        steps += 1;
        const stepStarted = performance.now();
        const done = await runTool({
          call,
          stepId: `s${++stepCounter}`,
          turn,
          ...(why ? { why } : {}),
          base: { ws, settings: params.settings, allowedPrograms, allowedProtected, onCommandRan, tests },
          callClient,
          isCancelled: () => signal.aborted,
          sendStep: (step) => deps.sendStep({ streamId: params.streamId, step }),
          ensureBuffers,
        });
        why = undefined;
        messages.push({ role: 'tool', tool_call_id: call.id, content: done.output });
        deps.onTiming?.({ kind: 'step', id: `s${stepCounter}`, serviceMs: serviceMs + performance.now() - stepStarted - done.clientMs });
        serviceMs = 0;
        if (done.finish) {
          answerRemaining(turnResult.toolCalls.slice(index + 1));
          const verification = done.finish.verification.trim();
          return result('stop', `${done.finish.summary.trim()}${verification ? `\n\nVerification: ${verification}` : ''}`);
        }
      }
      if (overCap.length > 0) refuseOverCap(overCap, turn, turnResult.toolCalls.length, cap);
    }
  } catch (error) {
    if (error instanceof Cancelled || signal.aborted) return result('cancelled', finalText);
    deps.log.error(`tandem/agentRun failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return result('error', finalText, { kind: 'unknown', message: `The agent stopped on an internal error: ${error instanceof Error ? error.message : String(error)}`, action: 'showLog' });
  }

  /** Calls beyond the per-turn cap: one refused card for the person, one answer per call for the model. */
  function refuseOverCap(calls: ModelToolCall[], turn: number, total: number, cap: number): void {
    deps.log.warn(`tandem/agentRun: turn ${turn} made ${total} tool calls; ${calls.length} over the cap of ${cap} were refused`);
    const names = [...new Set(calls.map((call) => call.name))].join(', ');
    const tool = calls.map((call) => call.name).find(isToolName) ?? 'run_command';
    const reason = `This turn made ${total} tool calls; at most ${cap} run per turn (setting tandem.agent.maxToolCallsPerTurn).`;
    new StepCard(
      { id: `s${++stepCounter}`, turn, tool, title: `Not run: ${calls.length} more tool call${calls.length === 1 ? '' : 's'} (${names.length > 60 ? `${names.slice(0, 59)}…` : names})` },
      (step) => deps.sendStep({ streamId: params.streamId, step }),
    ).update('refused', { output: `${reason} The other ${calls.length} were refused.` });
    for (const call of calls) {
      messages.push({ role: 'tool', tool_call_id: call.id, content: `Refused: ${reason} This ${call.name} call was NOT run. Make the calls you still need in your next turn, at most ${cap} at a time.` });
    }
  }

  /** Tool calls the model made that will not run still get an answer (the API requires one per call). */
  function answerRemaining(calls: ModelToolCall[]): void {
    for (const call of calls) messages.push({ role: 'tool', tool_call_id: call.id, content: 'Not run: the task stopped.' });
  }

  async function requestTurn(estimate: number): Promise<{ turn: TurnResult } | { cancelled: true } | { error: ChatError }> {
    const started = clock.now();
    let retries = 0;
    let streamed = false;
    const coalescer = new DeltaCoalescer((text) => deps.sendDelta({ streamId: params.streamId, text }), clock);
    if (settings.logContents) deps.log.info(`tandem/agentRun request ${JSON.stringify(messages.at(-1))}`);
    try {
      for (;;) {
        try {
          const turn = await stream(
            { baseUrl: baseUrl ?? '', apiKey: settings.apiKey, model, messages, tools: AGENT_TOOLS, timeoutSeconds: settings.requestTimeout },
            signal,
            (piece) => {
              streamed = true;
              coalescer.push(piece);
            },
          );
          deps.log.request({ method: 'tandem/agentRun', model, endpoint: baseUrl, status: turn.status, totalMs: clock.now() - started, usage: turn.usage, attempts: retries + 1 });
          if (settings.logContents) deps.log.info(`tandem/agentRun answer ${JSON.stringify({ text: turn.text, toolCalls: turn.toolCalls })}`);
          return { turn };
        } catch (thrown) {
          const failure = classifyError(thrown);
          if (failure.kind === 'cancelled' || signal.aborted) return { cancelled: true };
          if (failure.retryable && !streamed && retries < settings.maxRetries) {
            retries += 1;
            const delayMs = retryDelayMs(retries, failure.headers, clock.now());
            const message = retryMessage(failure, displayUrl(baseUrl ?? ''), delayMs, retries, settings.maxRetries);
            deps.sendNotice({ streamId: params.streamId, kind: 'retrying', message, attempt: retries, delayMs });
            if (!(await wait(delayMs, signal))) return { cancelled: true };
            continue;
          }
          const error = describeFailure(failure, { baseUrl: displayUrl(baseUrl ?? ''), model, apiKey: settings.apiKey, retries, hasContent: streamed, timeoutSeconds: settings.requestTimeout });
          deps.log.request({ method: 'tandem/agentRun', model, endpoint: baseUrl, status: failure.status ?? failure.kind, totalMs: clock.now() - started, attempts: retries + 1 });
          deps.log.warn(`tandem/agentRun failed after ~${estimate} prompt tokens: ${error.kind}: ${error.message}`);
          return { error };
        }
      }
    } finally {
      coalescer.dispose();
    }
  }
}

/** Rejects with Cancelled as soon as `signal` aborts, whether or not the client ever answers. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Cancelled());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** JSON arguments with sorted keys, so `{"a":1,"b":2}` and `{"b":2,"a":1}` count as the same call. */
function canonicalArgs(raw: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(raw) as unknown));
  } catch {
    return raw.trim();
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
}

/** The model's words before its tool calls, shortened to a sentence for the step card. */
function firstSentence(text: string): string | undefined {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return undefined;
  const end = clean.search(/[.!?](\s|$)/);
  const sentence = end > 0 ? clean.slice(0, end + 1) : clean;
  return sentence.length > 160 ? `${sentence.slice(0, 159)}…` : sentence;
}
