import * as vscode from 'vscode';
import type { McpServerState } from '../../shared/mcpProtocol';
import type { McpServers, McpServerView } from './servers';

export const MCP_VIEW_ID = 'tandem.mcpServers';

const STATE_TEXT: Record<McpServerState, string> = {
  awaitingApproval: 'awaiting approval',
  starting: 'starting…',
  ready: 'ready',
  failed: 'failed',
  stopped: 'not started',
  disabled: 'disabled',
  blocked: 'blocked: Restricted Mode',
};

const STATE_ICONS: Record<McpServerState, vscode.ThemeIcon> = {
  awaitingApproval: new vscode.ThemeIcon('shield'),
  starting: new vscode.ThemeIcon('loading~spin'),
  ready: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  stopped: new vscode.ThemeIcon('circle-outline'),
  disabled: new vscode.ThemeIcon('circle-slash'),
  blocked: new vscode.ThemeIcon('lock'),
};

type Node = { kind: 'server'; server: McpServerView } | { kind: 'tool'; name: string; description: string } | { kind: 'line'; text: string; icon?: string };

/**
 * The MCP Servers view: each server with its state (failed: why, and the
 * last lines of its stderr), its tools, and the actions of its state
 * (Restart, Disable, Enable, Approve) as inline buttons. Server-provided text
 * goes in as labels and tooltips only (plain text, never Markdown).
 */
export class McpServersView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly servers: McpServers) {
    this.subscription = servers.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'server') {
      const { server } = node;
      const hasChildren = server.tools.length > 0 || server.error !== undefined || server.stderr.length > 0;
      const item = new vscode.TreeItem(server.name, hasChildren ? (server.state === 'failed' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
      item.id = `mcp:${server.name}`;
      item.description = `${STATE_TEXT[server.state]}${server.state === 'ready' ? ` · ${server.tools.length} tools` : ''}${server.source === 'workspace' ? ' · .vscode/mcp.json' : ''}`;
      item.iconPath = STATE_ICONS[server.state];
      item.contextValue = `mcpServer.${server.state}`;
      item.tooltip = [server.name, STATE_TEXT[server.state], server.where, server.error ?? ''].filter(Boolean).join('\n');
      if (server.state === 'awaitingApproval') item.command = { command: 'tandem.mcp.approveServer', title: 'Approve', arguments: [server.name] };
      return item;
    }
    if (node.kind === 'tool') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('tools');
      item.tooltip = node.description;
      item.description = node.description.length > 80 ? `${node.description.slice(0, 79)}…` : node.description;
      return item;
    }
    const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    item.tooltip = node.text;
    return item;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      // Shown: the servers that may start, start (the view is where their state is watched).
      this.servers.startAll();
      const { servers, problems } = await this.servers.list();
      return [...servers.map((server): Node => ({ kind: 'server', server })), ...problems.map((text): Node => ({ kind: 'line', text, icon: 'warning' }))];
    }
    if (node.kind !== 'server') return [];
    const { server } = node;
    return [
      ...(server.error ? [{ kind: 'line' as const, text: server.error, icon: 'error' }] : []),
      ...(server.state === 'failed' ? server.stderr.slice(-10).map((text): Node => ({ kind: 'line', text, icon: 'output' })) : []),
      ...server.tools.map((tool): Node => ({ kind: 'tool', name: tool.name, description: tool.description })),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The server a view button or a caller names, or one picked from those that match. */
export async function pickServer(servers: McpServers, arg: unknown, filter: (server: McpServerView) => boolean, placeHolder: string): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && 'server' in arg) {
    const server = (arg as { server: unknown }).server;
    if (typeof server === 'object' && server !== null && typeof (server as { name?: unknown }).name === 'string') return (server as { name: string }).name;
  }
  const candidates = (await servers.list()).servers.filter(filter);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('Tandem: no MCP server to choose.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((server) => ({ label: server.name, description: `${STATE_TEXT[server.state]}${server.source === 'workspace' ? ' · .vscode/mcp.json' : ''}` })),
    { placeHolder },
  );
  return picked?.label;
}
