/**
 * MCP resources and prompts as `@mcp` context (docs/mcp.md): listed from the
 * ready servers and read when picked. A server's answer is hostile input:
 * every step is bounded in time (a server that hangs gives a line, never a
 * stuck picker), text is cut and stripped of control characters, binary
 * contents are refused with a reason, and prompts that need arguments are
 * not offered. No `vscode`: tests drive it in plain Node.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { isRecord } from '../../shared/guards';

/** Listing one server's resources and prompts (both requests together). */
export const CONTEXT_LIST_TIMEOUT_MS = 5_000;
/** Reading one resource or getting one prompt. */
export const CONTEXT_READ_TIMEOUT_MS = 15_000;
/** Most entries kept of one server (resources and prompts each). */
export const CONTEXT_ENTRIES_PER_SERVER = 200;
/** Most characters of one resource or prompt kept as context. */
export const CONTEXT_MAX_CHARS = 100_000;

export type McpContextType = 'resource' | 'prompt';

export interface McpContextEntry {
  server: string;
  type: McpContextType;
  /** The resource's URI or the prompt's name. */
  id: string;
  /** A one-line title (cleaned, short). */
  title: string;
  detail: string;
}

export interface McpContextListing {
  entries: McpContextEntry[];
  /** Why the server listed nothing or not everything, in a sentence (a timeout, a crash, a malformed answer). */
  problem?: string;
}

export type McpContextContent = { text: string; mimeType?: string } | { refused: string };

/** Resources and prompts of one server; never throws, resolves within `timeoutMs` (plus a tick). */
export async function listContext(server: string, client: Client, timeoutMs = CONTEXT_LIST_TIMEOUT_MS): Promise<McpContextListing> {
  const capabilities = client.getServerCapabilities() ?? {};
  const problems: string[] = [];
  const [resources, prompts] = await Promise.all([
    capabilities.resources
      ? bounded(client.listResources({}, { timeout: timeoutMs, maxTotalTimeout: timeoutMs }), timeoutMs).catch((error: unknown) => {
          problems.push(`resources: ${explain(error, timeoutMs)}`);
          return undefined;
        })
      : undefined,
    capabilities.prompts
      ? bounded(client.listPrompts({}, { timeout: timeoutMs, maxTotalTimeout: timeoutMs }), timeoutMs).catch((error: unknown) => {
          problems.push(`prompts: ${explain(error, timeoutMs)}`);
          return undefined;
        })
      : undefined,
  ]);
  const entries: McpContextEntry[] = [];
  for (const resource of (resources?.resources ?? []).slice(0, CONTEXT_ENTRIES_PER_SERVER)) {
    if (typeof resource.uri !== 'string' || resource.uri.length === 0 || resource.uri.length > 2_000) continue;
    const title = oneLine(resource.title ?? resource.name ?? resource.uri, 120);
    entries.push({ server, type: 'resource', id: resource.uri, title, detail: oneLine([resource.mimeType, resource.description].filter(Boolean).join(' · ') || resource.uri, 200) });
  }
  let needArguments = 0;
  for (const prompt of (prompts?.prompts ?? []).slice(0, CONTEXT_ENTRIES_PER_SERVER)) {
    if (typeof prompt.name !== 'string' || prompt.name.length === 0 || prompt.name.length > 200) continue;
    // Tandem has no form for a prompt's arguments yet: those that require one are not offered.
    if ((prompt.arguments ?? []).some((argument) => argument.required === true)) {
      needArguments += 1;
      continue;
    }
    entries.push({ server, type: 'prompt', id: prompt.name, title: oneLine(prompt.title ?? prompt.name, 120), detail: oneLine(prompt.description ?? 'Prompt', 200) });
  }
  if (needArguments > 0) problems.push(`${needArguments} prompt${needArguments === 1 ? '' : 's'} that need${needArguments === 1 ? 's' : ''} arguments not offered`);
  return { entries, ...(problems.length > 0 ? { problem: problems.join('; ') } : {}) };
}

/** The text of a resource or a prompt (cleaned, capped), or why it is not attached; never throws. */
export async function readContext(client: Client, type: McpContextType, id: string, timeoutMs = CONTEXT_READ_TIMEOUT_MS): Promise<McpContextContent> {
  try {
    if (type === 'resource') {
      const result = await bounded(client.readResource({ uri: id }, { timeout: timeoutMs, maxTotalTimeout: timeoutMs }), timeoutMs);
      const texts: string[] = [];
      const binary: string[] = [];
      let mimeType: string | undefined;
      for (const part of result.contents) {
        const content: unknown = part;
        if (!isRecord(content)) continue;
        if (typeof content.text === 'string') {
          texts.push(content.text);
          mimeType ??= typeof content.mimeType === 'string' ? content.mimeType : undefined;
        } else binary.push(typeof content.mimeType === 'string' ? content.mimeType : 'unknown type');
      }
      if (texts.length === 0) {
        return { refused: binary.length > 0 ? `it is binary (${oneLine(binary.join(', '), 80)}): only text resources can be attached` : 'the server returned no content for it' };
      }
      const note = binary.length > 0 ? `\n[${binary.length} binary part${binary.length === 1 ? '' : 's'} not attached]` : '';
      return { text: cleanContext(texts.join('\n')) + note, ...(mimeType ? { mimeType: oneLine(mimeType, 80) } : {}) };
    }
    const result = await bounded(client.getPrompt({ name: id, arguments: {} }, { timeout: timeoutMs, maxTotalTimeout: timeoutMs }), timeoutMs);
    const parts = result.messages.map((message) => {
      const content: unknown = message.content;
      const text = isRecord(content) && content.type === 'text' && typeof content.text === 'string'
        ? content.text
        : isRecord(content) && content.type === 'resource' && isRecord(content.resource) && typeof content.resource.text === 'string'
          ? content.resource.text
          : `[${isRecord(content) && typeof content.type === 'string' ? oneLine(content.type, 20) : 'content'} not attached]`;
      return `${message.role === 'assistant' ? 'Assistant' : 'User'}: ${text}`;
    });
    return { text: cleanContext(parts.join('\n\n')) };
  } catch (error) {
    return { refused: explain(error, timeoutMs) };
  }
}

/**
 * Control characters (but newline and tab), bidirectional overrides and
 * zero-width marks out, line ends normalised, cut at `max` characters.
 */
export function cleanContext(text: string, max = CONTEXT_MAX_CHARS): string {
  const cleaned = text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '');
  return cleaned.length > max ? `${cleaned.slice(0, max)}\n[... cut by Tandem: ${cleaned.length - max} more characters]` : cleaned;
}

/**
 * The `path` of an MCP context item: `mcp://<server>/<uri or prompt>`. Not a
 * file, so the data boundary checks it by name only (a resource called
 * `.env` is refused like the file); cleaned so that the boundary and the
 * prompt can read it (one line, and a `%` that starts no escape is escaped).
 */
export function contextPath(server: string, type: McpContextType, id: string): string {
  const safe = oneLine(id, 500).replace(/%(?![0-9a-f]{2})/gi, '%25');
  return `mcp://${server}/${type === 'prompt' ? 'prompt/' : ''}${safe}`;
}

function oneLine(text: string, max: number): string {
  const line = cleanContext(text, max * 2).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function explain(error: unknown, timeoutMs: number): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/timed? ?out|timeout/i.test(message)) return `the server did not answer within ${Math.round(timeoutMs / 100) / 10} s`;
  if (/connection closed|not connected/i.test(message)) return 'the server closed the connection';
  return `the server's answer was not usable: ${oneLine(message, 200)}`;
}

/** The SDK's own timeout, and this one in case a transport never settles the request. */
async function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms + 500)))]);
  } finally {
    clearTimeout(timer);
  }
}
