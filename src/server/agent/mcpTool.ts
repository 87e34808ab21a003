/**
 * One call of an MCP server's tool (docs/mcp.md): always asked unless the
 * person allowed that tool for the task or permanently; its arguments and
 * result on the step card; the result redacted and truncated like any tool
 * output before the model sees it. The server runs in the extension. Every
 * call, run or not, is an `mcp.call` event of the audit trail.
 */
import type { McpCallApproval, McpCallEvent } from '../../shared/audit';
import { isMcpAnswer, isMcpErrorClass, type McpCallResult, type McpToolInfo } from '../../shared/mcpProtocol';
import { digest } from '../services/audit/hash';
import { MAX_TOOL_OUTPUT_CHARS, truncateMiddle } from './context';
import { redactSecrets } from './secretValues';
import type { ToolContext } from './steps';

/** How much of the arguments and of the result the step card shows. */
const CARD_ARGUMENTS_CHARS = 1_000;
const CARD_RESULT_CHARS = 2_000;
/** How much of the arguments the audit keeps at contents `all` (the result is already cut to what the model saw). */
export const AUDIT_ARGUMENTS_CHARS = 64_000;

export function mcpStepTitle(info: McpToolInfo): string {
  const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  return `MCP ${clip(info.server, 30)} › ${clip(info.tool, 40)}`;
}

/** Runs the call through the client; returns what the model is told. */
export async function runMcpTool(ctx: ToolContext, name: string, info: McpToolInfo, args: Record<string, unknown>, allowed: Set<string>): Promise<string> {
  const { step } = ctx;
  const needsApproval = info.alwaysAllow !== true && !allowed.has(name);
  const argumentsJson = JSON.stringify(args);
  const shownArgs = `Arguments: ${truncateMiddle(JSON.stringify(args, null, 1), CARD_ARGUMENTS_CHARS)}`;
  const audit = auditCall(ctx, info, needsApproval ? 'asked' : info.alwaysAllow === true ? 'alwaysAllowed' : 'allowedForTask', argumentsJson);
  step.update(needsApproval ? 'waiting' : 'running', { output: shownArgs });
  const started = performance.now();
  const result = await ctx.client({ kind: 'mcpCall', server: info.server, tool: info.tool, arguments: args, needsApproval, timeoutSeconds: ctx.settings.commandTimeout });
  const measured = needsApproval ? undefined : performance.now() - started;
  if (result.kind !== 'mcpCall') {
    audit.done({ approval: 'refused', approved: false, error: 'noAnswer' });
    step.update('failed', { output: `${shownArgs}\nNo answer from the editor.` });
    return `The tool ${info.tool} of MCP server ${info.server} was NOT run: the editor gave no usable answer.`;
  }
  const answer = needsApproval ? answerOf(result) : undefined;
  if (!result.approved) {
    const reason = result.reason?.trim() || 'Not allowed.';
    // The client says why it did not run when it was not the person's answer (server not ready, no such tool).
    const refused = isMcpErrorClass(result.errorClass) ? result.errorClass : undefined;
    if (refused || !needsApproval) audit.done({ approval: 'refused', approved: false, ...(refused ? { error: refused } : {}) });
    else audit.done({ approved: false, answer: answer ?? 'reject' });
    step.update('rejected', { output: `${shownArgs}\n${reason}` });
    return `The tool ${info.tool} of MCP server ${info.server} was NOT run: ${reason}`;
  }
  if (result.allowForTask) allowed.add(name);
  const durationMs = validDuration(result.durationMs) ?? measured;
  const ran = { approved: true, ...(answer ? { answer } : {}), ...(durationMs !== undefined ? { durationMs: Math.round(durationMs) } : {}) };
  // A server can return anything it can read: secrets the workspace holds are redacted like command output.
  const secrets = await ctx.ws.secretValues();
  if (result.error !== undefined) {
    const error = truncateMiddle(redactSecrets(result.error, secrets).text, 4_000);
    const told = `The tool ${info.tool} of MCP server ${info.server} failed: ${error}`;
    audit.done({ ...ran, error: isMcpErrorClass(result.errorClass) ? result.errorClass : 'toolError', result: digest(result.error), resultText: told });
    step.update('failed', { output: `${shownArgs}\nError: ${truncateMiddle(error, CARD_RESULT_CHARS)}` });
    return told;
  }
  const raw = result.text ?? '';
  const output = truncateMiddle(redactSecrets(raw, secrets).text.trimEnd(), MAX_TOOL_OUTPUT_CHARS);
  const told = output || '(The tool returned nothing.)';
  audit.done({ ...ran, result: digest(raw), resultText: told });
  step.update('done', { output: `${shownArgs}\nResult:\n${truncateMiddle(output, CARD_RESULT_CHARS) || '(empty)'}` });
  return told;
}

type Outcome = Partial<Omit<McpCallEvent, 'type' | 'actor' | 'server' | 'tool' | 'source' | 'arguments' | 'argumentsText'>> & { approved: boolean };

/** The call's audit event, written once its outcome is known. */
function auditCall(ctx: ToolContext, info: McpToolInfo, approval: McpCallApproval, argumentsJson: string): { done(outcome: Outcome): void } {
  return {
    done(outcome) {
      if (!ctx.audit) return;
      const how = outcome.approval ?? approval;
      ctx.audit.mcpCall({
        // Run or declined on the person's say (now, earlier in the task, or in their settings); not run at all: the service.
        actor: how === 'refused' ? 'service' : 'person',
        server: info.server,
        tool: info.tool,
        source: info.source ?? 'unknown',
        ...outcome,
        approval: how,
        arguments: digest(argumentsJson),
        argumentsText: truncateMiddle(argumentsJson, AUDIT_ARGUMENTS_CHARS),
      });
    },
  };
}

/** What the person chose when asked: the client's word, else what `allowForTask` implies. */
function answerOf(result: McpCallResult): McpCallResult['answer'] {
  if (isMcpAnswer(result.answer)) return result.answer;
  if (!result.approved) return 'reject';
  return result.allowForTask ? 'allowForTask' : 'approve';
}

function validDuration(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 86_400_000 ? value : undefined;
}
