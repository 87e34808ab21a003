/**
 * How a local (stdio) MCP server is started (docs/mcp.md): a repository's
 * server in the same OS sandbox as the agent's commands when there is one
 * (workspace writable except .git and protected paths, the rest read-only,
 * secret files masked, network as `tandem.agent.sandbox.allowNetwork`); a
 * server of the person's own settings as the person configured it. Never
 * through a shell of the configuration's making: the command and its
 * arguments are quoted one by one. No `vscode`.
 */
import path from 'node:path';
import { commandEnvironment } from '../agent/sandbox/env';
import { type AvailableSandbox, sandboxedLaunch } from '../agent/sandbox/launch';
import { substitute, type McpServerConfig } from './config';
import type { ServerProcessSpec } from './stdioTransport';

export interface ServerLaunchOptions {
  workspace: string;
  /** The sandbox found, or undefined when there is none (then a repository's server runs only if the person approved that too). */
  sandbox: AvailableSandbox | undefined;
  network: boolean;
  extraMasks?: readonly string[];
  /** Values of `${input:…}`. */
  inputs: ReadonlyMap<string, string>;
  baseEnv?: NodeJS.ProcessEnv;
}

export interface ServerLaunch {
  spec: ServerProcessSpec;
  sandboxed: boolean;
  dispose(): Promise<void>;
}

export class LaunchError extends Error {}

/** One argument for bash, single-quoted. */
export function quoteForBash(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export async function serverLaunch(server: Extract<McpServerConfig, { type: 'stdio' }>, options: ServerLaunchOptions): Promise<ServerLaunch> {
  const value = (text: string, what: string): string => {
    const out = substitute(text, options.workspace, options.inputs);
    if (out === undefined) throw new LaunchError(`${what} needs an input that was not given`);
    return out;
  };
  const args = server.args.map((arg, index) => value(arg, `argument ${index + 1}`));
  const extra: Record<string, string> = {};
  for (const [key, text] of Object.entries(server.env)) extra[key] = value(text, `variable ${key}`);
  const cwd = path.resolve(options.workspace, server.cwd ? value(server.cwd, 'cwd') : '.');
  const env = commandEnvironment(options.baseEnv ?? process.env, extra);
  const inside = cwd === options.workspace || cwd.startsWith(`${options.workspace}${path.sep}`);
  if (server.source === 'workspace' && !inside) throw new LaunchError(`its folder ${server.cwd ?? ''} is outside the workspace`);
  if (server.source === 'workspace' && options.sandbox) {
    // `exec`: the server is the sandbox's process itself, so stopping it stops the server.
    const command = ['exec', quoteForBash(server.command), ...args.map(quoteForBash)].join(' ');
    const launch = await sandboxedLaunch(options.sandbox, {
      command,
      workspace: options.workspace,
      cwd,
      env,
      network: options.network,
      ...(options.extraMasks ? { extraMasks: options.extraMasks } : {}),
    });
    return { spec: launch.spec, sandboxed: true, dispose: () => launch.dispose() };
  }
  return { spec: { file: server.command, args, cwd, env }, sandboxed: false, dispose: async () => undefined };
}
