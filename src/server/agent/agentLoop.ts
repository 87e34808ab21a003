/**
 * The agent loop (tandem/agentRun): ask the model with the tools, run the
 * tool calls it makes, give it the results, repeat until it calls `finish`,
 * answers without a tool call, or a limit stops it: `maxSteps` model turns,
 * `maxTokens` over all requests, the same call three times in a row, or Stop
 * (the abort signal closes the HTTP request and cancels pending client calls).
 * At most `maxToolCallsPerTurn` calls of one turn run; the rest are refused.
 */
import type { AgentProgressParams, AgentRunParams, AgentRunResult, AgentStep, ClientToolCall, ClientToolParams, ClientToolResult } from '../../shared/agentProtocol';
import { errorDetail, errorMessage } from '../../shared/guards';
import type { ChatError, TandemSettings, TokenUsage } from '../../shared/protocol';
import { isAgentToolName } from '../../shared/vocabulary';
import { describeFailure } from '../providers/errors';
import { displayUrl } from '../redact';
import { contextItem, recordModelRequest, recordProposal, requestOutcome } from '../services/audit/events';
import { digest } from '../services/audit/hash';
import { hostOf, NO_AUDIT, type AuditSink } from '../services/audit/trail';
import { systemClock, type Clock } from '../services/clock';
import { runSecurityChecks } from '../services/checks/record';
import { DeltaCoalescer } from '../services/coalescer';
import { DEFAULT_BOUNDARY, type DataBoundary, type OutgoingRequest } from '../services/dataBoundary';
import { logBoundary, type AnswerSink } from '../services/modelAnswer';
import { withRetries } from '../services/retry';
import { effectiveBaseUrl } from '../settings';
import { sleep as realSleep } from '../util/abort';
import { builtInModelOffer } from '../util/builtInOffer';
import { canonicalArgs, firstSentence } from './calls';
import { addUsage, elideOldToolResults, estimateCostUsd, estimateRequestTokens, estimateTokens, WINDOW_BUDGET_TOKENS, type WireMessage } from './context';
import { streamTurn, type ModelToolCall, type StreamTurn, type TurnResult } from './modelTurn';
import { agentSystemPrompt, AGENT_TOOLS, type ToolSchema } from './prompt';
import { boundaryReader, findTestCommand, loadAgentsRules } from './rules';
import { runTool } from './toolRunner';
import { mcpToolTable, type McpToolTable } from '../services/mcp/tools';
import { StepCard, type StepAudit, type TestRuns } from './steps';
import { AgentWorkspace } from './workspace';
import type { CodebaseSearch } from '../services/codebase/codebaseIndex';

export interface AgentDeps extends AnswerSink {
  sendStep(params: { streamId: string; step: AgentStep }): void;
  sendProgress(params: AgentProgressParams): void;
  /** Service → client request; must reject (or resolve) promptly once `signal` aborts. */
  callClient(params: ClientToolParams, signal: AbortSignal): Promise<ClientToolResult>;
  clock?: Clock;
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  stream?: StreamTurn;
  /** What may leave the machine; default: secrets by name, every content redacted. */
  boundary?: DataBoundary;
  windowBudgetTokens?: number;
  /** The audit trail (default: none). */
  audit?: AuditSink;
  /** The workspace's codebase index, for search_codebase (default: none; the tool says so). */
  codebase?: CodebaseSearch;
  /** Benchmarks: the service's own time per step and per turn (model and client time excluded). */
  onTiming?: (entry: { kind: 'turn' | 'step'; id: string; serviceMs: number; estimatedPromptTokens?: number }) => void;
}

/** The same call (name and arguments) this many times in a row stops the task. */
export const REPEAT_LIMIT = 3;

class Cancelled extends Error {}

export async function runAgent(params: AgentRunParams, settings: TandemSettings, signal: AbortSignal, deps: AgentDeps): Promise<AgentRunResult> {
  const model = params.model?.trim() || settings.model;
  const baseUrl = effectiveBaseUrl(settings);
  if (!baseUrl || !model) {
    return {
      text: '',
      finishReason: 'error',
      model,
      steps: 0,
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      promptTokensPerRequest: [],
      error: {
        kind: 'notConfigured',
        message: !baseUrl ? 'No model service is configured. Set a base URL or an API key.' : 'No model is chosen. Pick one with “Tandem: Choose Model”.',
        action: !baseUrl ? 'setApiKey' : 'pickModel',
        ...(!baseUrl ? builtInModelOffer() : {}),
      },
    };
  }
  const outgoing = (deps.boundary ?? DEFAULT_BOUNDARY).open('agent', baseUrl, settings);
  if ('refused' in outgoing) {
    deps.log.warn(`tandem/agentRun not sent: ${outgoing.refused.message}`);
    return { text: '', finishReason: 'error', model, steps: 0, usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 }, promptTokensPerRequest: [], error: outgoing.refused };
  }
  return new AgentRun(params, settings, signal, deps, { model, baseUrl }, outgoing).run();
}

/** Tools whose arguments become workspace files: the secrets the model saw as placeholders go back in there (locally). */
const RESTORED_TOOLS: ReadonlySet<string> = new Set(['apply_patch', 'create_file']);

/** What one model turn asked for, as its tool calls run one by one. */
interface Turn {
  readonly number: number;
  readonly calls: readonly ModelToolCall[];
  /** The model's words before its calls; shown on the first step card only. */
  why: string | undefined;
  /** The service's own time since the answer came, charged to the next step. */
  serviceMs: number;
}

/** One task: the conversation with the model, its budget and what the person allowed along the way. */
class AgentRun {
  private readonly clock: Clock;
  private readonly ws: AgentWorkspace;
  private readonly messages: WireMessage[];
  private readonly allowedPrograms = new Set<string>();
  private readonly allowedProtected = new Set<string>();
  /** The MCP servers' tools (named for the model) and those allowed for this task. */
  private readonly mcp: { table: McpToolTable; allowed: Set<string> };
  /** Tandem's own tools, then the MCP servers'. */
  private readonly tools: readonly ToolSchema[];
  private readonly tests: TestRuns;
  private usage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  private readonly promptTokensPerRequest: number[] = [];
  private steps = 0;
  private finalText = '';
  private buffersLoaded = false;
  private stepCounter = 0;
  private lastSignature = '';
  private repeats = 0;
  // The model's own count of the last prompt over our estimate of it: estimates are
  // scaled by it, so the window and the budget follow the chosen model's tokenizer.
  private calibration = 1;
  /** Time spent preparing the task, charged to the first turn. */
  private prepMs: number;
  private readonly audit: AuditSink;
  /** Messages sent by earlier turns: a turn's audit lists only what it adds. */
  private sentMessages = 0;
  /** The messages as last sent (after the data boundary), for the audit. */
  private lastSent: WireMessage[] | undefined;
  /** The last state of each step card, for the audit's agent.step. */
  private readonly cards = new Map<string, AgentStep>();

  constructor(
    private readonly params: AgentRunParams,
    private readonly settings: TandemSettings,
    private readonly signal: AbortSignal,
    private readonly deps: AgentDeps,
    private readonly endpoint: { model: string; baseUrl: string },
    /** The task is one request for the data boundary: one set of placeholders over all its turns. */
    private readonly outgoing: OutgoingRequest,
  ) {
    const prep = performance.now();
    this.clock = deps.clock ?? systemClock;
    this.ws = new AgentWorkspace(params.root);
    const rules = loadAgentsRules(params.root, params.activeFile, boundaryReader(this.ws.boundary));
    const testCommand = findTestCommand(params.root, params.settings.testCommand, boundaryReader(this.ws.boundary));
    const system = agentSystemPrompt({ root: params.root, policy: params.settings.policy, testCommand, rules: rules.text, ...(params.activeFile ? { activeFile: params.activeFile } : {}) });
    this.messages = [{ role: 'system', content: system }, ...params.messages.map((m): WireMessage => ({ role: m.role, content: m.content }))];
    this.tests = { command: testCommand, failed: 0 };
    this.audit = deps.audit ?? NO_AUDIT;
    if (this.audit.active) {
      const { settings: agent } = params;
      const task = params.messages.at(-1)?.content;
      this.audit.record({
        type: 'agent.start',
        actor: 'person',
        task: params.streamId,
        model: endpoint.model,
        endpointHost: hostOf(endpoint.baseUrl),
        policy: {
          approvalPolicy: agent.policy,
          allowCommands: agent.allowCommands,
          denyCommands: agent.denyCommands,
          allowNetwork: agent.sandbox.network,
          maxSteps: agent.maxSteps,
          maxTokens: agent.maxTokens,
          commandTimeout: agent.commandTimeout,
          maxToolCallsPerTurn: agent.maxToolCallsPerTurn,
        },
        sandbox: { kind: agent.sandbox.kind, network: agent.sandbox.network },
        ...(params.activeFile ? { activeFile: params.activeFile } : {}),
        ...(this.audit.contents === 'all' && task !== undefined ? { prompt: task } : {}),
      });
    }
    this.mcp = { table: mcpToolTable(params.mcpTools ?? [], new Set(AGENT_TOOLS.map((tool) => tool.function.name))), allowed: new Set() };
    this.tools = [...AGENT_TOOLS, ...this.mcp.table.schemas];
    deps.log.info(`tandem/agentRun start: policy=${params.settings.policy} maxSteps=${params.settings.maxSteps} rules=${rules.files.length} test=${testCommand || 'none'}`);
    this.prepMs = performance.now() - prep;
  }

  async run(): Promise<AgentRunResult> {
    const result = await this.runTurns();
    if (this.audit.active) {
      const { usage } = result;
      this.audit.record({
        type: 'agent.end',
        actor: 'service',
        task: this.params.streamId,
        finishReason: result.finishReason,
        steps: result.steps,
        tokens: { prompt: usage.promptTokens, completion: usage.completionTokens, total: usage.totalTokens },
        ...(result.error ? { error: result.error.kind } : {}),
      });
    }
    return result;
  }

  private async runTurns(): Promise<AgentRunResult> {
    try {
      for (let turn = 1; ; turn++) {
        const ended = await this.turn(turn);
        if (ended) return ended;
      }
    } catch (error) {
      if (error instanceof Cancelled || this.signal.aborted) return this.result('cancelled', this.finalText);
      this.deps.log.error(`tandem/agentRun failed: ${errorDetail(error)}`);
      return this.result('error', this.finalText, { kind: 'unknown', message: `The agent stopped on an internal error: ${errorMessage(error)}`, action: 'showLog' });
    }
  }

  /** One model turn: the limits checked, the model asked, its tool calls run. The result once the task ends. */
  private async turn(number: number): Promise<AgentRunResult | undefined> {
    const { settings: limits } = this.params;
    const turnStarted = performance.now();
    if (number > limits.maxSteps) {
      return this.result('stepLimit', `${this.textSoFar()}Stopped: the task reached the limit of ${limits.maxSteps} model turns. Continue with a new request, or raise tandem.agent.maxSteps.`);
    }
    const elided = elideOldToolResults(this.messages, this.tools, Math.floor((this.deps.windowBudgetTokens ?? WINDOW_BUDGET_TOKENS) / this.calibration));
    if (elided > 0) this.deps.log.info(`tandem/agentRun: elided ${elided} old tool outputs to stay within the window`);
    const rawEstimate = estimateRequestTokens(this.messages, this.tools);
    const estimate = Math.ceil(rawEstimate * this.calibration);
    if (this.usage.totalTokens + estimate > limits.maxTokens) {
      return this.result('tokenLimit', `${this.textSoFar()}Stopped: the task would exceed its budget of ${limits.maxTokens} tokens (${this.usage.totalTokens} used). Continue with a new request, or raise tandem.agent.maxTokens.`);
    }
    this.deps.onTiming?.({ kind: 'turn', id: String(number), serviceMs: this.prepMs + performance.now() - turnStarted, estimatedPromptTokens: rawEstimate });
    this.prepMs = 0;

    const outcome = await this.requestTurn(estimate, number);
    if ('cancelled' in outcome) return this.result('cancelled', this.finalText);
    if ('error' in outcome) return this.result('error', this.finalText, outcome.error);
    const answer = outcome.turn;
    const afterTurn = performance.now();
    this.count(answer, estimate, rawEstimate);
    if (answer.text.trim()) this.finalText = answer.text.trim();

    if (answer.toolCalls.length === 0) {
      return this.result(answer.finishReason === 'length' ? 'length' : 'stop', answer.text.trim() || this.finalText);
    }
    this.messages.push({
      role: 'assistant',
      content: answer.text || null,
      tool_calls: answer.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    });
    const turn: Turn = { number, calls: answer.toolCalls, why: firstSentence(answer.text), serviceMs: performance.now() - afterTurn };
    // One turn may not fan out into any number of calls (commands, reads): the rest are refused, each answered.
    const cap = limits.maxToolCallsPerTurn;
    for (const [index, call] of answer.toolCalls.slice(0, cap).entries()) {
      const ended = await this.step(turn, index, call);
      if (ended) return ended;
    }
    const overCap = answer.toolCalls.slice(cap);
    if (overCap.length > 0) this.refuseOverCap(overCap, number, answer.toolCalls.length, cap);
    return undefined;
  }

  /** One tool call of a turn (unless the model seems stuck). The result once the task ends. */
  private async step(turn: Turn, index: number, call: ModelToolCall): Promise<AgentRunResult | undefined> {
    const signature = `${call.name}\u0000${canonicalArgs(call.arguments)}`;
    this.repeats = signature === this.lastSignature ? this.repeats + 1 : 1;
    this.lastSignature = signature;
    if (this.repeats >= REPEAT_LIMIT) {
      this.answerRemaining(turn.calls.slice(index));
      return this.result('stepLimit', `Stopped: the model called ${call.name} with the same arguments ${REPEAT_LIMIT} times in a row, so it seems to be stuck in a loop. Try rephrasing the task or giving more detail.`);
    }
    this.steps += 1;
    const stepStarted = performance.now();
    const { streamId } = this.params;
    // Only file contents get secrets back: a command or a search with a restored key could carry it out.
    const restored = RESTORED_TOOLS.has(call.name) ? { ...call, arguments: this.outgoing.restore(call.arguments) } : call;
    const stepId = `s${++this.stepCounter}`;
    const done = await runTool({
      call: restored,
      stepId,
      turn: turn.number,
      ...(turn.why ? { why: turn.why } : {}),
      base: {
        ws: this.ws,
        ...(this.deps.codebase ? { codebase: this.deps.codebase } : {}),
        settings: this.params.settings,
        allowedPrograms: this.allowedPrograms,
        allowedProtected: this.allowedProtected,
        onCommandRan: this.onCommandRan,
        tests: this.tests,
        ...(this.audit.active ? { audit: this.stepAudit(stepId) } : {}),
      },
      callClient: this.callClient,
      isCancelled: () => this.signal.aborted,
      sendStep: (step) => {
        if (this.audit.active) this.cards.set(step.id, step);
        this.deps.sendStep({ streamId, step });
      },
      ensureBuffers: this.ensureBuffers,
      mcp: this.mcp,
    });
    turn.why = undefined;
    this.messages.push({ role: 'tool', tool_call_id: call.id, content: done.output });
    const card = this.cards.get(stepId);
    if (this.audit.active) {
      this.audit.record({
        type: 'agent.step',
        actor: 'model',
        task: streamId,
        step: stepId,
        turn: turn.number,
        tool: call.name,
        title: card?.title ?? call.name,
        status: card?.status ?? 'done',
        durationMs: Math.round(performance.now() - stepStarted),
        sent: digest(done.output),
      });
      this.cards.delete(stepId);
    }
    this.deps.onTiming?.({ kind: 'step', id: `s${this.stepCounter}`, serviceMs: turn.serviceMs + performance.now() - stepStarted - done.clientMs });
    turn.serviceMs = 0;
    if (!done.finish) return undefined;
    this.answerRemaining(turn.calls.slice(index + 1));
    const verification = done.finish.verification.trim();
    return this.result('stop', `${done.finish.summary.trim()}${verification ? `\n\nVerification: ${verification}` : ''}`);
  }

  /** The turn's usage (the model's count, else our estimate) added up, the calibration updated and the person told. */
  private count(answer: TurnResult, estimate: number, rawEstimate: number): void {
    const turnUsage = answer.usage ?? {
      promptTokens: estimate,
      completionTokens: estimateTokens(answer.text) + answer.toolCalls.reduce((sum, call) => sum + estimateTokens(call.arguments), 0),
      totalTokens: 0,
    };
    if (!answer.usage) turnUsage.totalTokens = turnUsage.promptTokens + turnUsage.completionTokens;
    if (answer.usage && answer.usage.promptTokens > 0 && rawEstimate > 0) {
      this.calibration = Math.min(4, Math.max(0.25, answer.usage.promptTokens / rawEstimate));
    }
    this.usage = addUsage(this.usage, turnUsage);
    this.promptTokensPerRequest.push(turnUsage.promptTokens);
    const cost = estimateCostUsd(this.endpoint.model, this.usage);
    this.deps.sendProgress({ streamId: this.params.streamId, usage: this.usage, lastPromptTokens: turnUsage.promptTokens, ...(cost !== undefined ? { costUsd: cost } : {}) });
  }

  private result(finishReason: AgentRunResult['finishReason'], text: string, error?: ChatError): AgentRunResult {
    logBoundary(this.deps.log, 'tandem/agentRun', this.outgoing);
    return {
      ...this.outgoing.reportIfAny(),
      text,
      finishReason,
      model: this.endpoint.model,
      steps: this.steps,
      usage: this.usage,
      promptTokensPerRequest: this.promptTokensPerRequest,
      ...(error ? { error } : {}),
    };
  }

  /** The last text the model wrote, as the start of a "Stopped: …" answer. */
  private textSoFar(): string {
    return `${this.finalText}${this.finalText ? '\n\n' : ''}`;
  }

  private readonly callClient = async (stepId: string, call: ClientToolCall): Promise<ClientToolResult> => {
    if (this.signal.aborted) throw new Cancelled();
    try {
      return await untilAborted(this.deps.callClient({ streamId: this.params.streamId, stepId, call }, this.signal), this.signal);
    } catch (error) {
      if (this.signal.aborted) throw new Cancelled();
      throw error;
    }
  };

  private readonly ensureBuffers = async (stepId: string): Promise<void> => {
    if (this.buffersLoaded) return;
    this.buffersLoaded = true;
    try {
      const answer = await this.callClient(stepId, { kind: 'openBuffers' });
      if (answer.kind === 'openBuffers') this.ws.setBuffers(answer.files);
    } catch (error) {
      if (error instanceof Cancelled) throw error;
      this.deps.log.warn(`tandem/agentRun: no open buffers from the client: ${String(error)}`);
    }
  };

  // A command may have changed files: what changed on disk since an edit landed is read again.
  private readonly onCommandRan = (): void => this.ws.refreshApplied();

  /** Calls beyond the per-turn cap: one refused card for the person, one answer per call for the model. */
  private refuseOverCap(calls: ModelToolCall[], turn: number, total: number, cap: number): void {
    this.deps.log.warn(`tandem/agentRun: turn ${turn} made ${total} tool calls; ${calls.length} over the cap of ${cap} were refused`);
    const names = [...new Set(calls.map((call) => call.name))].join(', ');
    const tool = calls.map((call) => call.name).find(isAgentToolName) ?? 'run_command';
    const reason = `This turn made ${total} tool calls; at most ${cap} run per turn (setting tandem.agent.maxToolCallsPerTurn).`;
    new StepCard(
      { id: `s${++this.stepCounter}`, turn, tool, title: `Not run: ${calls.length} more tool call${calls.length === 1 ? '' : 's'} (${names.length > 60 ? `${names.slice(0, 59)}…` : names})` },
      (step) => this.deps.sendStep({ streamId: this.params.streamId, step }),
    ).update('refused', { output: `${reason} The other ${calls.length} were refused.` });
    for (const call of calls) {
      this.messages.push({ role: 'tool', tool_call_id: call.id, content: `Refused: ${reason} This ${call.name} call was NOT run. Make the calls you still need in your next turn, at most ${cap} at a time.` });
    }
  }

  /** Tool calls the model made that will not run still get an answer (the API requires one per call). */
  private answerRemaining(calls: readonly ModelToolCall[]): void {
    for (const call of calls) this.messages.push({ role: 'tool', tool_call_id: call.id, content: 'Not run: the task stopped.' });
  }

  /** The audit of one step: its proposals and commands, linked to the task and the step. */
  private stepAudit(stepId: string): StepAudit {
    const task = this.params.streamId;
    const all = this.audit.contents === 'all';
    return {
      proposal: (changeSet) => recordProposal(this.audit, changeSet, { actor: 'model', origin: 'agent', task, step: stepId }),
      securityChecks: async (changeSet) => (await runSecurityChecks(changeSet, this.audit, { task, step: stepId })).findings,
      command: ({ outputText, ...event }) => this.audit.record({ type: 'agent.command', task, step: stepId, ...event, ...(all && outputText !== undefined ? { outputText } : {}) }),
      mcpCall: ({ argumentsText, resultText, ...event }) =>
        this.audit.record({
          type: 'mcp.call',
          task,
          step: stepId,
          ...event,
          ...(all && argumentsText !== undefined ? { argumentsText } : {}),
          ...(all && resultText !== undefined ? { resultText } : {}),
        }),
    };
  }

  /** One model request of the task in the audit: what it added to the conversation, by digest. */
  private auditTurn(number: number, started: number, firstTokenAt: number | undefined, outcome: Parameters<typeof requestOutcome>, attempts: number, turn?: TurnResult): void {
    if (!this.audit.active) return;
    // What left the machine: the messages after the data boundary (secrets as placeholders).
    const sent = this.lastSent ?? this.messages;
    const added = sent.slice(this.sentMessages);
    this.sentMessages = sent.length;
    const { redactions } = this.outgoing.report();
    const contentOf = (message: WireMessage): string => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? ''));
    recordModelRequest(this.audit, {
      // The first request is the person's task; the later ones the model's own loop.
      actor: number === 1 ? 'person' : 'model',
      request: `${this.params.streamId}/t${number}`,
      task: this.params.streamId,
      purpose: 'agent',
      model: this.endpoint.model,
      baseUrl: this.endpoint.baseUrl,
      context: [
        contextItem('messages', '', JSON.stringify(sent)),
        ...added.filter((message) => message.role === 'tool').map((message) => contextItem('tool', 'tool_call_id' in message ? String(message.tool_call_id) : '', contentOf(message))),
      ],
      ...(redactions.length > 0 ? { redactions } : {}),
      ...(turn?.usage ? { usage: turn.usage } : {}),
      ...(firstTokenAt !== undefined ? { ttftMs: firstTokenAt - started } : {}),
      totalMs: this.clock.now() - started,
      attempts,
      outcome: requestOutcome(...outcome),
      messages: added.map((message) => ({ role: message.role, content: contentOf(message) })),
      ...(turn ? { answer: turn.text, toolCalls: turn.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments })) } : {}),
    });
  }

  /** The model asked once, with retries announced like a chat's (only while nothing has streamed). */
  private async requestTurn(estimate: number, number: number): Promise<{ turn: TurnResult } | { cancelled: true } | { error: ChatError }> {
    const { settings, signal, deps, clock } = this;
    const { model, baseUrl } = this.endpoint;
    const started = clock.now();
    let streamed = false;
    let firstTokenAt: number | undefined;
    // Everything the model sees goes through the boundary each turn (texts already cleared are remembered).
    const messages = await this.outgoing.messages(this.messages);
    this.lastSent = messages;
    const coalescer = new DeltaCoalescer((text) => deps.sendDelta({ streamId: this.params.streamId, text }), clock);
    if (settings.logContents) deps.log.info(`tandem/agentRun request ${JSON.stringify(messages.at(-1))}`);
    const stream = deps.stream ?? streamTurn;
    try {
      const outcome = await withRetries(
        () =>
          stream({ baseUrl, apiKey: settings.apiKey, model, messages, tools: this.tools, timeoutSeconds: settings.requestTimeout }, signal, (piece) => {
            firstTokenAt ??= clock.now();
            streamed = true;
            coalescer.push(piece);
          }),
        {
          signal,
          maxRetries: settings.maxRetries,
          endpoint: displayUrl(baseUrl),
          clock,
          sleep: deps.sleep ?? realSleep,
          mayRetry: () => !streamed,
          announce: (notice) => deps.sendNotice({ streamId: this.params.streamId, kind: 'retrying', ...notice }),
        },
      );
      if (outcome.kind === 'cancelled') {
        this.auditTurn(number, started, firstTokenAt, ['cancelled', undefined], outcome.retries + 1);
        return { cancelled: true };
      }
      if (outcome.kind === 'failed') {
        const { failure, retries } = outcome;
        const error = describeFailure(failure, { baseUrl: displayUrl(baseUrl), model, apiKey: settings.apiKey, retries, hasContent: streamed, timeoutSeconds: settings.requestTimeout });
        this.auditTurn(number, started, firstTokenAt, ['error', error], retries + 1);
        deps.log.request({ method: 'tandem/agentRun', model, endpoint: baseUrl, status: failure.status ?? failure.kind, totalMs: clock.now() - started, attempts: retries + 1 });
        deps.log.warn(`tandem/agentRun failed after ~${estimate} prompt tokens: ${error.kind}: ${error.message}`);
        return { error };
      }
      const turn = outcome.value;
      this.auditTurn(number, started, firstTokenAt, [turn.finishReason, undefined], outcome.retries + 1, turn);
      deps.log.request({ method: 'tandem/agentRun', model, endpoint: baseUrl, status: turn.status, totalMs: clock.now() - started, usage: turn.usage, attempts: outcome.retries + 1 });
      if (settings.logContents) deps.log.info(`tandem/agentRun answer ${JSON.stringify({ text: turn.text, toolCalls: turn.toolCalls })}`);
      return { turn };
    } finally {
      coalescer.dispose();
      this.outgoing.markSent();
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
