/**
 * One call of an MCP server's tool (docs/mcp.md): always asked unless the
 * person allowed that tool for the task or permanently; its arguments and
 * result on the step card; the result redacted and truncated like any tool
 * output before the model sees it. The server runs in the extension.
 */
import type { McpToolInfo } from '../../shared/mcpProtocol';
import { MAX_TOOL_OUTPUT_CHARS, truncateMiddle } from './context';
import { redactSecrets } from './secretValues';
import type { ToolContext } from './steps';

/** How much of the arguments and of the result the step card shows. */
const CARD_ARGUMENTS_CHARS = 1_000;
const CARD_RESULT_CHARS = 2_000;

export function mcpStepTitle(info: McpToolInfo): string {
  const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  return `MCP ${clip(info.server, 30)} › ${clip(info.tool, 40)}`;
}

/** Runs the call through the client; returns what the model is told. */
export async function runMcpTool(ctx: ToolContext, name: string, info: McpToolInfo, args: Record<string, unknown>, allowed: Set<string>): Promise<string> {
  const { step } = ctx;
  const needsApproval = info.alwaysAllow !== true && !allowed.has(name);
  const shownArgs = `Arguments: ${truncateMiddle(JSON.stringify(args, null, 1), CARD_ARGUMENTS_CHARS)}`;
  step.update(needsApproval ? 'waiting' : 'running', { output: shownArgs });
  const result = await ctx.client({ kind: 'mcpCall', server: info.server, tool: info.tool, arguments: args, needsApproval, timeoutSeconds: ctx.settings.commandTimeout });
  if (result.kind !== 'mcpCall') {
    step.update('failed', { output: `${shownArgs}\nNo answer from the editor.` });
    return `The tool ${info.tool} of MCP server ${info.server} was NOT run: the editor gave no usable answer.`;
  }
  if (!result.approved) {
    const reason = result.reason?.trim() || 'Not allowed.';
    step.update('rejected', { output: `${shownArgs}\n${reason}` });
    return `The tool ${info.tool} of MCP server ${info.server} was NOT run: ${reason}`;
  }
  if (result.allowForTask) allowed.add(name);
  // A server can return anything it can read: secrets the workspace holds are redacted like command output.
  const secrets = await ctx.ws.secretValues();
  if (result.error !== undefined) {
    const error = truncateMiddle(redactSecrets(result.error, secrets).text, 4_000);
    step.update('failed', { output: `${shownArgs}\nError: ${truncateMiddle(error, CARD_RESULT_CHARS)}` });
    return `The tool ${info.tool} of MCP server ${info.server} failed: ${error}`;
  }
  const output = truncateMiddle(redactSecrets(result.text ?? '', secrets).text.trimEnd(), MAX_TOOL_OUTPUT_CHARS);
  step.update('done', { output: `${shownArgs}\nResult:\n${truncateMiddle(output, CARD_RESULT_CHARS) || '(empty)'}` });
  return output || '(The tool returned nothing.)';
}
