/**
 * Runs one tool call of the model: checks its arguments, shows its step card,
 * applies the policy, calls the workspace or the client, and returns what the
 * model is told (always the truth: refused, rejected, failed or done).
 */
import type { AgentStep, ClientToolCall, ClientToolResult } from '../../shared/agentProtocol';
import { errorMessage } from '../../shared/guards';
import { isAgentToolName } from '../../shared/vocabulary';
import { MAX_TOOL_OUTPUT_CHARS, truncateMiddle } from './context';
import { searchCodebaseTool } from './codebaseTool';
import { applyPatchTool, createFileTool } from './editTools';
import { decideCommand, programsToAllow } from '../services/commands/policy';
import { formatDiagnostics, isTestRun, MAX_FAILED_TEST_RUNS, StepCard, stepTitle, type ToolContext } from './steps';
import type { ModelToolCall } from './modelTurn';
import { redactSecrets } from './secretValues';
import { sha256 as sha256Text } from '../services/audit/hash';
import type { ToolOutcome } from './workspace';
import type { McpToolTable } from '../services/mcp/tools';
import { mcpStepTitle, runMcpTool } from './mcpTool';

export interface ToolCallResult {
  /** The tool message content for the model. */
  output: string;
  /** Set when the model called `finish`. */
  finish?: { summary: string; verification: string };
  /** Milliseconds spent waiting for the client (the person, the editor, a command). */
  clientMs: number;
}

export interface RunToolInput {
  call: ModelToolCall;
  stepId: string;
  turn: number;
  why?: string;
  base: Omit<ToolContext, 'step' | 'client'>;
  callClient(stepId: string, call: ClientToolCall): Promise<ClientToolResult>;
  sendStep(step: AgentStep): void;
  /** True once the task was stopped (a failing client call then ends the task, not just the step). */
  isCancelled(): boolean;
  /** Loads the client's unsaved buffers (once per run) before anything is read. */
  ensureBuffers(stepId: string): Promise<void>;
  /** The MCP servers' tools of this task, and those the person allowed for it. */
  mcp?: { table: McpToolTable; allowed: Set<string> };
}

export async function runTool(input: RunToolInput): Promise<ToolCallResult> {
  const { call, stepId, turn } = input;
  let clientMs = 0;
  const timedClient = async (c: ClientToolCall): Promise<ClientToolResult> => {
    const started = performance.now();
    try {
      return await input.callClient(stepId, c);
    } finally {
      clientMs += performance.now() - started;
    }
  };
  const ensureBuffers = async (): Promise<void> => {
    const started = performance.now();
    try {
      await input.ensureBuffers(stepId);
    } finally {
      clientMs += performance.now() - started;
    }
  };
  let args: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(call.arguments || '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the arguments must be a JSON object');
    args = parsed as Record<string, unknown>;
  } catch (error) {
    return { output: `The arguments of ${call.name} are not valid JSON (${errorMessage(error)}). Call it again with a JSON object.`, clientMs };
  }
  const mcp = input.mcp?.table.byName.get(call.name);
  const builtin = isAgentToolName(call.name) ? call.name : undefined;
  if (!mcp && !builtin) {
    return { output: `There is no tool named ${call.name}.`, clientMs };
  }
  const why = input.why ?? (typeof args.why === 'string' ? args.why : undefined);
  const title = mcp ? mcpStepTitle(mcp) : builtin ? stepTitle(builtin, args) : call.name;
  const step = new StepCard({ id: stepId, turn, tool: builtin ?? 'mcp', title, ...(why ? { why } : {}) }, input.sendStep);
  const ctx: ToolContext = { ...input.base, step, client: timedClient };
  const missing = (key: string): string | undefined => (typeof args[key] === 'string' ? undefined : `${call.name} needs a string "${key}".`);
  const fail = (message: string): ToolCallResult => {
    step.update('failed', { output: message });
    return { output: message, clientMs };
  };
  const finishWith = (outcome: ToolOutcome): ToolCallResult => {
    step.update(outcome.refused ? 'refused' : outcome.ok ? 'done' : 'failed', { output: outcome.summary });
    return { output: outcome.output, clientMs };
  };
  const str = (key: string): string => (typeof args[key] === 'string' ? (args[key] as string) : '');
  const num = (key: string): number | undefined => (typeof args[key] === 'number' ? (args[key] as number) : undefined);

  try {
    return await dispatch();
  } catch (error) {
    if (input.isCancelled()) {
      step.update('failed', { output: 'Stopped.' });
      throw error;
    }
    // The editor could not do it (e.g. it failed the request): the model hears why; the task goes on.
    const message = `The editor could not do this: ${errorMessage(error)}`;
    step.update('failed', { output: message });
    return { output: message, clientMs };
  }

  async function dispatch(): Promise<ToolCallResult> {
    if (mcp && input.mcp) return { output: await runMcpTool(ctx, call.name, mcp, args, input.mcp.allowed), clientMs };
    switch (builtin) {
      case undefined:
        return { output: `There is no tool named ${call.name}.`, clientMs };
      case 'read_file': {
        const problem = missing('path');
        if (problem) return fail(problem);
        await ensureBuffers();
        const start = num('start_line');
        const end = num('end_line');
        return finishWith(ctx.ws.readFile({ path: str('path'), ...(start !== undefined ? { start_line: start } : {}), ...(end !== undefined ? { end_line: end } : {}) }));
      }
      case 'list_dir':
        return finishWith(await ctx.ws.listDir({ path: str('path') || '.' }));
      case 'find_files': {
        const problem = missing('glob');
        return problem ? fail(problem) : finishWith(await ctx.ws.findFiles({ glob: str('glob') }));
      }
      case 'search_text': {
        const problem = missing('pattern');
        if (problem) return fail(problem);
        await ensureBuffers();
        return finishWith(await ctx.ws.searchText({ pattern: str('pattern'), ...(str('glob') ? { glob: str('glob') } : {}) }));
      }
      case 'search_codebase': {
        const problem = missing('query');
        if (problem) return fail(problem);
        await ensureBuffers();
        const limit = num('limit');
        return finishWith(await searchCodebaseTool(ctx.ws, ctx.codebase, { query: str('query'), ...(str('path') ? { path: str('path') } : {}), ...(limit !== undefined ? { limit } : {}) }));
      }
      case 'apply_patch': {
        const problem = missing('patch');
        if (problem) return fail(problem);
        await ensureBuffers();
        const outcome = await applyPatchTool(ctx, str('patch'));
        return { output: outcome.output, clientMs };
      }
      case 'create_file': {
        const problem = missing('path') ?? missing('content');
        if (problem) return fail(problem);
        await ensureBuffers();
        const outcome = await createFileTool(ctx, str('path'), str('content'));
        return { output: outcome.output, clientMs };
      }
      case 'get_diagnostics': {
        const paths = Array.isArray(args.paths) ? args.paths.filter((p): p is string => typeof p === 'string') : undefined;
        const checked: string[] = [];
        for (const requested of paths ?? []) {
          const decision = ctx.ws.decide(requested, 'read');
          if (decision.action === 'refuse') {
            step.update('refused', { output: decision.reason });
            return { output: `Refused: ${decision.reason}`, clientMs };
          }
          checked.push(decision.relative);
        }
        const result = await ctx.client({ kind: 'diagnostics', ...(paths ? { paths: checked } : {}) });
        if (result.kind !== 'diagnostics') return fail('The editor gave no diagnostics.');
        // Problems of secret and ignored files name their contents: they stay out of the model's view.
        const output = formatDiagnostics(result.diagnostics.filter((entry) => ctx.ws.decide(entry.path, 'read').action !== 'refuse'));
        step.update('done', { output: output.split('\n')[0] ?? '' });
        return { output, clientMs };
      }
      case 'run_command': {
        const problem = missing('command');
        if (problem) return fail(problem);
        const output = await runCommand(ctx, str('command'), why);
        return { output, clientMs };
      }
      case 'ask_user': {
        const problem = missing('question');
        if (problem) return fail(problem);
        step.update('waiting');
        const result = await ctx.client({ kind: 'askUser', question: str('question') });
        const answer = result.kind === 'askUser' ? result.answer : undefined;
        if (answer === undefined || answer.trim() === '') {
          step.update('rejected', { output: 'No answer.' });
          return { output: 'The person did not answer. Continue with your best judgement or finish.', clientMs };
        }
        step.update('done', { output: answer });
        return { output: `The person answered: ${answer}`, clientMs };
      }
      case 'finish': {
        const summary = str('summary');
        const verification = str('verification');
        step.update('done', { output: summary });
        return { output: 'Finished.', finish: { summary, verification }, clientMs };
      }
    }
  }
}

async function runCommand(ctx: ToolContext, command: string, why: string | undefined): Promise<string> {
  const { step, settings } = ctx;
  const decision = decideCommand(command, {
    policy: settings.policy,
    allowCommands: settings.allowCommands,
    denyCommands: settings.denyCommands,
    allowedPrograms: ctx.allowedPrograms,
    sandbox: settings.sandbox,
    workspace: ctx.ws,
  });
  const policyActor = `policy:${settings.policy}` as const;
  if (decision.action === 'deny') {
    ctx.audit?.command({ actor: policyActor, command, cwd: ctx.ws.root, decision: 'deny', reason: decision.reason, approved: false });
    step.update('refused', { output: decision.reason });
    return `Refused without asking: ${decision.reason} The command was NOT run. Do not try to get around this; find another way or finish.`;
  }
  const testRun = isTestRun(command, ctx.tests.command);
  if (testRun && ctx.tests.failed >= MAX_FAILED_TEST_RUNS) {
    const reason = `The tests already failed ${ctx.tests.failed} times in this task.`;
    ctx.audit?.command({ actor: 'service', command, cwd: ctx.ws.root, decision: 'limit', reason, approved: false });
    step.update('refused', { output: reason });
    return `${reason} The command was NOT run. Stop trying: call finish, saying what still fails and what you tried.`;
  }
  // Exactly the commands that run without asking run in the OS sandbox.
  const needsApproval = decision.action === 'ask';
  step.update(needsApproval ? 'waiting' : 'running');
  const started = performance.now();
  const result = await ctx.client({
    kind: 'runCommand',
    command,
    cwd: ctx.ws.root,
    timeoutSeconds: settings.commandTimeout,
    needsApproval,
    sandboxed: !needsApproval,
    ...(needsApproval ? { reason: why ? `${why} (${decision.reason})` : decision.reason } : {}),
  });
  // Who let it run (or refused it): the person when asked, or earlier for this task (only full-auto runs
  // commands unasked on its own); else the policy.
  const forTask = !needsApproval && settings.policy !== 'full-auto';
  const actor = needsApproval || forTask ? 'person' : policyActor;
  const ask = needsApproval ? 'ask' : 'run';
  const asked = decision.action === 'ask' ? { reason: decision.reason } : forTask ? { reason: 'allowed for this task' } : {};
  if (result.kind !== 'runCommand') {
    ctx.audit?.command({ actor, command, cwd: ctx.ws.root, decision: ask, ...asked, approved: false });
    step.update('failed', { output: 'No answer from the editor.' });
    return 'The command was NOT run: the editor gave no usable answer.';
  }
  if (!result.approved) {
    ctx.audit?.command({ actor, command, cwd: ctx.ws.root, decision: ask, ...asked, approved: false });
    const reason = result.reason?.trim();
    step.update('rejected', { output: reason ? `Not allowed: ${reason}` : 'Not allowed.' });
    return `The command was NOT run: the person did not allow it${reason ? ` (${reason})` : ''}.`;
  }
  if (result.allowForTask) {
    // The plain programs of the approved command; the deny list and every other check still apply to them.
    for (const program of programsToAllow(command)) ctx.allowedPrograms.add(program);
  }
  ctx.onCommandRan();
  // A command can print a secret the sandbox hid as a file (a committed .env in `git show`, a test echoing its config).
  const cleaned = redactSecrets(result.output.trimEnd(), await ctx.ws.secretValues());
  const output = truncateMiddle(cleaned.text, MAX_TOOL_OUTPUT_CHARS);
  ctx.audit?.command({
    actor,
    command,
    cwd: ctx.ws.root,
    decision: ask,
    ...asked,
    approved: true,
    sandboxed: !needsApproval,
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    ...(result.timedOut ? { timedOut: true } : {}),
    durationMs: Math.round(performance.now() - started),
    output: { sha256: sha256Text(result.output), bytes: Buffer.byteLength(result.output) },
    outputText: output,
  });
  const exit = result.timedOut ? `Stopped after ${settings.commandTimeout} s (timeout).` : `Exit code ${result.exitCode ?? 'unknown'}.`;
  const passed = result.exitCode === 0 && !result.timedOut;
  step.update(passed ? 'done' : 'failed', { output: `${exit}\n${truncateMiddle(output, 2_000)}`.trim() });
  let advice = '';
  if (testRun && !passed) {
    ctx.tests.failed += 1;
    const left = MAX_FAILED_TEST_RUNS - ctx.tests.failed;
    advice = left > 0 ? `\nThe tests failed (${ctx.tests.failed} of at most ${MAX_FAILED_TEST_RUNS} failed runs in this task).` : `\nThe tests failed ${ctx.tests.failed} times: do not run them again; call finish and say what still fails.`;
  }
  return `${exit}\n${output || '(no output)'}${advice}`;
}
