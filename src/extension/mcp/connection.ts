/**
 * One MCP server's connection: the official SDK client over a transport,
 * with every step bounded in time (start, tool list, each call), its tools
 * capped and checked, and every failure turned into one clear sentence
 * (crashed, hung, malformed). No `vscode`: tests drive it in plain Node.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { isRecord } from '../../shared/guards';
import { MCP_LIMITS, type McpErrorClass, type McpServerSource, type McpServerState, type McpToolInfo } from '../../shared/mcpProtocol';
import { version } from '../../../package.json';

export const CONNECT_TIMEOUT_MS = 30_000;

/**
 * The SDK would compile each tool's output schema with Ajv and match the result against it in the
 * extension host: a hostile server's `pattern` could then backtrack for hours on its own answer,
 * freezing the editor. Tandem reads the result as text and never trusts its structure, so it skips
 * that validation.
 */
const NO_OUTPUT_VALIDATION: jsonSchemaValidator = {
  getValidator<T>(): JsonSchemaValidator<T> {
    return (input) => ({ valid: true, data: input as T, errorMessage: undefined });
  },
};
export const LIST_TIMEOUT_MS = 15_000;

/** A tool as the server listed it (checked, capped). */
export interface ListedTool {
  tool: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface CallOutcome {
  /** The result's content as text. */
  text?: string;
  /** Why the call failed: the tool's own error, a crash, a timeout, a malformed answer. */
  error?: string;
  /** The failure in a word, for the audit trail. */
  errorClass?: McpErrorClass;
}

/** What a transport may also tell about the server (the stdio one: its exit and stderr). */
export interface ServerTransport extends Transport {
  readonly stderr?: string[];
  readonly reason?: string | undefined;
}

export class McpConnection {
  private client: Client | undefined;
  private transport: ServerTransport | undefined;
  private stateValue: McpServerState = 'stopped';
  private failure: string | undefined;
  private listed: ListedTool[] = [];

  constructor(
    readonly name: string,
    private readonly onChange: () => void = () => undefined,
  ) {}

  get state(): McpServerState {
    return this.stateValue;
  }

  /** Why it failed, in a sentence. */
  get error(): string | undefined {
    return this.failure;
  }

  get stderr(): string[] {
    return this.transport?.stderr ?? [];
  }

  get tools(): readonly ListedTool[] {
    return this.listed;
  }

  /** The SDK client while ready (for resources and prompts as `@` context: mcpContext.ts), else undefined. */
  get readyClient(): Client | undefined {
    return this.stateValue === 'ready' ? this.client : undefined;
  }

  /** Connects and lists the tools; resolves either way (the state says how it went). */
  async start(transport: ServerTransport, timeouts: { connectMs?: number; listMs?: number } = {}): Promise<void> {
    await this.stop('starting');
    this.transport = transport;
    this.failure = undefined;
    this.listed = [];
    this.set('starting');
    const client = new Client({ name: 'tandem', version }, { capabilities: {}, jsonSchemaValidator: NO_OUTPUT_VALIDATION });
    this.client = client;
    client.onclose = () => {
      if (this.client !== client) return;
      // After a stop the state is already set; an unexpected close is a crash.
      if (this.stateValue === 'ready' || this.stateValue === 'starting') this.fail(`the server ${transport.reason ?? 'closed the connection'}`);
    };
    try {
      await withTimeout(client.connect(transport, { timeout: timeouts.connectMs ?? CONNECT_TIMEOUT_MS }), timeouts.connectMs ?? CONNECT_TIMEOUT_MS, 'did not finish starting');
      if (this.client !== client) return;
      this.listed = await this.listTools(client, timeouts.listMs ?? LIST_TIMEOUT_MS);
      if (this.client !== client) return;
      this.set('ready');
    } catch (error) {
      if (this.client !== client) return;
      this.fail(this.explain(error));
      await this.closeQuietly(client);
    }
  }

  /** Calls a tool; never throws. `signal` (Stop) cancels it on the server too. */
  async call(tool: string, args: Record<string, unknown>, options: { timeoutMs: number; signal?: AbortSignal }): Promise<CallOutcome> {
    const client = this.client;
    if (!client || this.stateValue !== 'ready') return { error: `the server is not ready (${this.stateValue}${this.failure ? `: ${this.failure}` : ''})`, errorClass: 'notReady' };
    if (!this.listed.some((listed) => listed.tool === tool)) return { error: `the server has no tool named ${tool}`, errorClass: 'noTool' };
    try {
      const result = await client.callTool({ name: tool, arguments: args }, undefined, {
        timeout: options.timeoutMs,
        maxTotalTimeout: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const text = contentText(result.content, result.structuredContent);
      return result.isError === true ? { error: text || 'the tool reported an error', errorClass: 'toolError' } : { text };
    } catch (error) {
      if (options.signal?.aborted) return { error: 'stopped', errorClass: 'stopped' };
      const { text, errorClass } = this.explained(error, options.timeoutMs);
      return { error: text, errorClass };
    }
  }

  async stop(state: McpServerState = 'stopped'): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await this.closeQuietly(client);
    if (state !== 'failed') this.failure = undefined;
    this.set(state);
  }

  /** It could not even be started (an input missing, the sandbox refused its folder). */
  async failWith(reason: string): Promise<void> {
    await this.stop('failed');
    this.failure = reason;
    this.onChange();
  }

  private async listTools(client: Client, timeoutMs: number): Promise<ListedTool[]> {
    if (!client.getServerCapabilities()?.tools) return [];
    const tools: ListedTool[] = [];
    let cursor: string | undefined;
    // Pages until the cap: a server that pages forever is cut off.
    for (let page = 0; page < 10 && tools.length < MCP_LIMITS.toolsPerServer; page += 1) {
      const result = await client.listTools(cursor ? { cursor } : {}, { timeout: timeoutMs });
      for (const tool of result.tools) {
        if (tools.length >= MCP_LIMITS.toolsPerServer) break;
        if (typeof tool.name !== 'string' || tool.name.length === 0 || tool.name.length > MCP_LIMITS.nameChars) continue;
        tools.push({
          tool: tool.name,
          description: (tool.description ?? tool.title ?? '').slice(0, MCP_LIMITS.descriptionChars * 2),
          inputSchema: isRecord(tool.inputSchema) ? tool.inputSchema : {},
        });
      }
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return tools;
  }

  private explain(error: unknown, timeoutMs?: number): string {
    return this.explained(error, timeoutMs).text;
  }

  /** What went wrong, for the person and in a word. */
  private explained(error: unknown, timeoutMs?: number): { text: string; errorClass: McpErrorClass } {
    const message = error instanceof Error ? error.message : String(error);
    const reason = this.transport?.reason;
    if (/timed? ?out|timeout/i.test(message)) {
      return { text: timeoutMs ? `the server did not answer within ${seconds(timeoutMs)} s` : `the server ${message.includes('did not finish') ? message : 'did not answer in time'}`, errorClass: 'timeout' };
    }
    if (/connection closed|not connected/i.test(message) || reason) {
      // The stdio transport ends the connection at once on output that is not JSON-RPC: malformed, not a crash.
      return { text: `the server ${reason ?? 'closed the connection'}`, errorClass: reason && /^wrote /.test(reason) ? 'malformed' : 'crashed' };
    }
    // The server answered with a JSON-RPC error (unknown tool, invalid params): its own refusal, not a malformed answer.
    return { text: `the server's answer was not usable: ${schemaIssues(message) ?? message.slice(0, 300)}`, errorClass: error instanceof McpError ? 'toolError' : 'malformed' };
  }

  private fail(reason: string): void {
    this.failure = reason;
    this.set('failed');
  }

  private set(state: McpServerState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.onChange();
  }

  private async closeQuietly(client: Client): Promise<void> {
    try {
      await client.close();
    } catch {
      // Already gone.
    }
  }

  /** The tools for the service, with this server's name. */
  toolInfos(alwaysAllow: (tool: string) => boolean, source?: McpServerSource): McpToolInfo[] {
    return this.listed.map((tool) => ({ server: this.name, ...(source ? { source } : {}), ...tool, ...(alwaysAllow(tool.tool) ? { alwaysAllow: true } : {}) }));
  }
}

function seconds(ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1).replace(/\.0$/, '') : String(Math.round(ms / 1000));
}

/** The SDK reports a malformed answer as zod's issue list (JSON): its first issues, in a line. */
function schemaIssues(message: string): string | undefined {
  try {
    const issues: unknown = JSON.parse(message);
    if (!Array.isArray(issues)) return undefined;
    return issues
      .slice(0, 3)
      .map((issue) => (isRecord(issue) ? `${Array.isArray(issue.path) ? issue.path.join('.') : ''}: ${String(issue.message)}` : ''))
      .join('; ');
  } catch {
    return undefined;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${seconds(ms)} s (timeout)`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The result's content as text: text parts as they are, everything else as a one-line note. */
export function contentText(content: unknown, structured?: unknown): string {
  const parts: string[] = [];
  let size = 0;
  for (const part of Array.isArray(content) ? content : []) {
    if (size > MCP_LIMITS.resultChars) break;
    let text: string;
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') text = part.text;
    else if (part.type === 'image' || part.type === 'audio') text = `[${part.type}${typeof part.mimeType === 'string' ? ` ${part.mimeType}` : ''} not shown]`;
    else if (part.type === 'resource' && isRecord(part.resource)) {
      const resource = part.resource;
      text = typeof resource.text === 'string' ? `[resource ${String(resource.uri)}]\n${resource.text}` : `[binary resource ${String(resource.uri)} not shown]`;
    } else if (part.type === 'resource_link') text = `[resource link ${String(part.uri)}${typeof part.name === 'string' ? ` (${part.name})` : ''}]`;
    else continue;
    parts.push(text);
    size += text.length;
  }
  if (parts.length === 0 && structured !== undefined) parts.push(JSON.stringify(structured));
  const joined = parts.join('\n');
  return joined.length > MCP_LIMITS.resultChars ? `${joined.slice(0, MCP_LIMITS.resultChars)}\n[result cut at ${MCP_LIMITS.resultChars} characters]` : joined;
}
