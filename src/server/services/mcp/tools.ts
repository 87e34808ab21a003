/**
 * MCP tools as the model sees them (docs/mcp.md): each server's tools named
 * `mcp__<server>__<tool>`, within the model API's name rules
 * (`^[a-zA-Z0-9_-]{1,64}$`), unique, descriptions and schemas capped. What a
 * server advertises is hostile text: it never replaces or renames one of
 * Tandem's own tools, and a description stays a description. Pure.
 */
import { isRecord } from '../../../shared/guards';
import { MCP_LIMITS, MCP_SOURCES, MCP_TOOL_PREFIX, type McpToolInfo } from '../../../shared/mcpProtocol';

/** The model APIs' longest tool name (OpenAI, Anthropic). */
export const MAX_TOOL_NAME = 64;

/** Deepest schema nesting kept; deeper schemas are replaced (the model API would refuse them anyway). */
const MAX_SCHEMA_DEPTH = 24;

export interface McpToolSchema {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** The tools of one task: by the name the model calls, and their schemas in a stable order. */
export interface McpToolTable {
  byName: ReadonlyMap<string, McpToolInfo>;
  schemas: readonly McpToolSchema[];
}

export const EMPTY_MCP_TABLE: McpToolTable = { byName: new Map(), schemas: [] };

/** `tandem/agentRun`'s `mcpTools` (untrusted): well-formed entries kept, the rest dropped; at most the caps. */
export function parseMcpTools(input: unknown): McpToolInfo[] {
  if (!Array.isArray(input)) return [];
  const out: McpToolInfo[] = [];
  const perServer = new Map<string, number>();
  for (const item of input.slice(0, MCP_LIMITS.toolsTotal * 4)) {
    if (out.length >= MCP_LIMITS.toolsTotal) break;
    if (!isRecord(item)) continue;
    const { server, tool, description, inputSchema, alwaysAllow, source } = item;
    if (typeof server !== 'string' || typeof tool !== 'string' || !server || !tool) continue;
    if (server.length > MCP_LIMITS.nameChars || tool.length > MCP_LIMITS.nameChars) continue;
    const count = perServer.get(server) ?? 0;
    if (count >= MCP_LIMITS.toolsPerServer) continue;
    perServer.set(server, count + 1);
    const knownSource = MCP_SOURCES.find((candidate) => candidate === source);
    out.push({
      server,
      tool,
      description: typeof description === 'string' ? description : '',
      inputSchema: isRecord(inputSchema) ? inputSchema : {},
      ...(alwaysAllow === true ? { alwaysAllow: true } : {}),
      ...(knownSource ? { source: knownSource } : {}),
    });
  }
  return out;
}

/** One part of a name: allowed characters only, runs of `_` kept short so parts stay apart. */
function namePart(text: string, max: number): string {
  const clean = text.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/_{2,}/g, '_').replace(/^[_-]+|[_-]+$/g, '');
  return (clean || 'x').slice(0, max);
}

/**
 * The tools named and described for the model. Sorted by server, then tool, so the same
 * servers give the same names whatever order they started in; a clash (two names that
 * sanitise alike, or a name of `reserved`) takes the first free `_2`, `_3`… suffix.
 */
export function mcpToolTable(tools: readonly McpToolInfo[], reserved: ReadonlySet<string>): McpToolTable {
  const sorted = [...tools].sort((a, b) => (a.server === b.server ? compare(a.tool, b.tool) : compare(a.server, b.server)));
  const byName = new Map<string, McpToolInfo>();
  const schemas: McpToolSchema[] = [];
  const seen = new Set<string>();
  for (const info of sorted) {
    const key = `${info.server}\u0000${info.tool}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const base = `${MCP_TOOL_PREFIX}${namePart(info.server, 20)}__${namePart(info.tool, MAX_TOOL_NAME)}`.slice(0, MAX_TOOL_NAME);
    let name = base;
    for (let n = 2; byName.has(name) || reserved.has(name); n += 1) {
      const suffix = `_${n}`;
      name = `${base.slice(0, MAX_TOOL_NAME - suffix.length)}${suffix}`;
    }
    byName.set(name, info);
    schemas.push({ type: 'function', function: { name, description: describe(info), parameters: parameters(info.inputSchema) } });
  }
  return { byName, schemas };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Says whose tool it is first, so the model weighs it as the server's word; control characters out, capped. */
function describe(info: McpToolInfo): string {
  const clean = (text: string): string => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ' ').trim();
  const text = clean(info.description);
  const capped = text.length > MCP_LIMITS.descriptionChars ? `${text.slice(0, MCP_LIMITS.descriptionChars - 1)}…` : text;
  const name = (text: string): string => clean(text).replace(/[\n\t"]/g, ' ');
  return `[MCP server "${name(info.server.slice(0, 40))}", tool "${name(info.tool.slice(0, 60))}"; every call is shown to the person] ${capped}`.trim();
}

const ANY_OBJECT: Record<string, unknown> = { type: 'object', properties: {}, additionalProperties: true };

/** An object schema copied without prototype keys, or a plain object schema when it is not one, too deep or too big. */
export function parameters(schema: Record<string, unknown>): Record<string, unknown> {
  if (schema.type !== 'object') return { ...ANY_OBJECT };
  const copy = cleanCopy(schema, 0);
  if (!isRecord(copy)) return { ...ANY_OBJECT };
  const json = JSON.stringify(copy);
  return json.length > MCP_LIMITS.schemaChars ? { ...ANY_OBJECT } : copy;
}

function cleanCopy(value: unknown, depth: number): unknown {
  if (depth > MAX_SCHEMA_DEPTH) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => cleanCopy(item, depth + 1));
    return items.includes(undefined) ? undefined : items;
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (!isRecord(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__') continue;
    const copy = cleanCopy(item, depth + 1);
    if (copy === undefined) return undefined;
    Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
