import type { McpContextSource } from '../chat/mentions/mcpMention';
import type { McpConnection } from './connection';
import { CONTEXT_LIST_TIMEOUT_MS, listContext, readContext, type McpContextContent, type McpContextEntry, type McpContextType } from './mcpContext';

/** How long the `@mcp` picker waits for servers that are still starting. */
const START_WAIT_MS = 5_000;

/** What the context source needs of the servers (McpServers). */
export interface ContextConnections {
  contextConnections(waitMs: number): Promise<{ ready: McpConnection[]; notReady: Array<{ name: string; why: string }> }>;
}

/**
 * `@mcp`'s view of the MCP servers: each ready server listed in parallel (each
 * bounded by listContext's timeout, so a hanging one costs the picker seconds,
 * never more), servers that are not ready named with why.
 */
export class McpServersContext implements McpContextSource {
  constructor(
    private readonly servers: ContextConnections,
    private readonly listMs = CONTEXT_LIST_TIMEOUT_MS,
  ) {}

  async list(): Promise<{ entries: McpContextEntry[]; problems: Array<{ server: string; problem: string }> }> {
    const { ready, notReady } = await this.servers.contextConnections(START_WAIT_MS);
    const listings = await Promise.all(
      ready.map(async (connection) => {
        const client = connection.readyClient;
        return client ? { server: connection.name, ...(await listContext(connection.name, client, this.listMs)) } : { server: connection.name, entries: [], problem: 'the server stopped' };
      }),
    );
    return {
      entries: listings.flatMap((listing) => listing.entries),
      problems: [
        ...listings.flatMap((listing) => (listing.problem ? [{ server: listing.server, problem: listing.problem }] : [])),
        ...notReady.map(({ name, why }) => ({ server: name, problem: `not ready (${why})` })),
      ],
    };
  }

  async read(server: string, type: McpContextType, id: string): Promise<McpContextContent> {
    const { ready } = await this.servers.contextConnections(0);
    const client = ready.find((connection) => connection.name === server)?.readyClient;
    return client ? readContext(client, type, id) : { refused: `the MCP server ${server} is not ready` };
  }
}
