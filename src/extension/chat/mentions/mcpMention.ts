import { rankByQuery } from '../../../shared/mentions';
import { MAX_MENTION_OPTIONS, type MentionOption } from '../../../shared/webviewProtocol';
import { contextPath, type McpContextContent, type McpContextEntry, type McpContextType } from '../../mcp/mcpContext';
import type { MentionChoices, MentionProvider, ResolvedMention } from './types';

/** The ready servers' resources and prompts (src/extension/mcp/contextSource.ts). */
export interface McpContextSource {
  /** Every ready server's entries, and a line for each server that listed nothing or not everything. */
  list(): Promise<{ entries: McpContextEntry[]; problems: Array<{ server: string; problem: string }> }>;
  read(server: string, type: McpContextType, id: string): Promise<McpContextContent>;
}

/** A pick's value: which server, resource or prompt (JSON: URIs may hold any character). */
type Pick = [server: string, type: McpContextType | 'problem', id: string];

/**
 * `@mcp`: a resource or a prompt of a ready MCP server (docs/mcp.md). Servers
 * that fail or hang while listing get a line of their own in the picker (it
 * attaches nothing and says why), never a stuck picker: the source bounds
 * every request in time.
 */
export class McpMention implements MentionProvider {
  readonly kind = 'mcp' as const;

  constructor(private readonly source: () => McpContextSource | undefined) {}

  async options(query: string): Promise<MentionChoices> {
    const source = this.source();
    if (!source) return { options: [], note: 'MCP servers are not available here' };
    const { entries, problems } = await source.list();
    const ranked = rankByQuery(query, entries, (entry) => `${entry.server} ${entry.title} ${entry.id}`, MAX_MENTION_OPTIONS);
    const options: MentionOption[] = ranked.map((entry) => ({
      value: JSON.stringify([entry.server, entry.type, entry.id] satisfies Pick),
      label: `${entry.server}: ${entry.title}`,
      detail: `${entry.type === 'prompt' ? 'Prompt' : 'Resource'} · ${entry.detail}`,
    }));
    for (const { server, problem } of problems) {
      if (options.length >= MAX_MENTION_OPTIONS) break;
      options.push({ value: JSON.stringify([server, 'problem', problem] satisfies Pick), label: `${server}: not all listed`, detail: problem });
    }
    if (options.length === 0) return { options, note: entries.length === 0 && problems.length === 0 ? 'No ready MCP server offers resources or prompts' : 'Nothing found' };
    return { options };
  }

  async resolve(value: string): Promise<ResolvedMention> {
    const pick = parsePick(value);
    if (!pick) return { chip: { kind: 'mcp', label: 'mcp', detail: 'MCP context', excluded: 'not a resource or prompt of an MCP server' }, items: [] };
    const [server, type, id] = pick;
    if (type === 'problem') return { chip: { kind: 'mcp', label: server, detail: `MCP server ${server}`, excluded: id }, items: [] };
    const path = contextPath(server, type, id);
    const label = `${server}: ${id.length > 60 ? `…${id.slice(-59)}` : id}`;
    const detail = `${type === 'prompt' ? 'Prompt' : 'Resource'} ${path} of MCP server ${server}`;
    const source = this.source();
    const content = source ? await source.read(server, type, id) : { refused: 'MCP servers are not available here' };
    if ('refused' in content) return { chip: { kind: 'mcp', label, detail, excluded: content.refused }, items: [] };
    return { chip: { kind: 'mcp', label, detail }, items: [{ kind: 'mcp', path, text: content.text, ...(languageOf(content.mimeType) ? { languageId: languageOf(content.mimeType) } : {}) }] };
  }
}

function parsePick(value: string): Pick | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((part) => typeof part === 'string')) return undefined;
    const [server, type, id] = parsed as [string, string, string];
    return type === 'resource' || type === 'prompt' || type === 'problem' ? [server, type, id] : undefined;
  } catch {
    return undefined;
  }
}

function languageOf(mimeType: string | undefined): string | undefined {
  if (!mimeType) return undefined;
  return { 'text/markdown': 'markdown', 'application/json': 'json', 'text/html': 'html', 'text/x-python': 'python', 'application/javascript': 'javascript' }[mimeType];
}
