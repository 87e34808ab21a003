import * as vscode from 'vscode';
import type { McpServers, McpServerView } from './servers';
import { MCP_VIEW_ID, pickServer } from './serversView';

/** Shows the MCP Servers view; returns the servers as it lists them (automation and tests read it). */
export async function showServers(servers: McpServers): Promise<McpServerView[]> {
  await vscode.commands.executeCommand(`${MCP_VIEW_ID}.focus`);
  servers.startAll();
  return (await servers.list()).servers;
}

export async function restartServer(servers: McpServers, arg: unknown): Promise<McpServerView | undefined> {
  const name = await pickServer(servers, arg, (server) => server.state !== 'awaitingApproval' && server.state !== 'blocked', 'Restart which MCP server?');
  if (!name) return undefined;
  await servers.restart(name);
  return (await servers.list()).servers.find((server) => server.name === name);
}

export async function setServerDisabled(servers: McpServers, arg: unknown, disabled: boolean): Promise<void> {
  const name = await pickServer(servers, arg, (server) => (disabled ? server.state !== 'disabled' : server.state === 'disabled'), disabled ? 'Disable which MCP server?' : 'Enable which MCP server?');
  if (name) await servers.setDisabled(name, disabled);
}

export async function approveServer(servers: McpServers, arg: unknown): Promise<boolean> {
  const name = await pickServer(servers, arg, (server) => server.state === 'awaitingApproval', 'Approve which MCP server of this repository?');
  return name ? servers.approve(name) : false;
}
