import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decideEndpoint } from '../../shared/boundary/endpoint';
import { errorMessage } from '../../shared/guards';
import type { McpAnswer, McpCall, McpCallResult, McpServerState, McpToolInfo } from '../../shared/mcpProtocol';
import type { AgentUi } from '../agent/agentUi';
import { SandboxDetector } from '../agent/sandbox/detect';
import { allowSandboxNetwork } from '../agent/settings';
import { userValue } from '../userSettings';
import { addAlwaysAllow, alwaysAllowEntry, alwaysAllowList, isAlwaysAllowed } from './alwaysAllow';
import { approvalKey, inputsUsed, mergeConfigs, parseMcpConfig, parseMcpJson, startState, substitute, CONFIG_LIMITS, type McpConfig, type McpServerConfig } from './config';
import { CONNECT_TIMEOUT_MS, McpConnection, type ServerTransport } from './connection';
import { serverLaunch } from './launch';
import { StdioProcessTransport } from './stdioTransport';

export const MCP_SECTION = 'tandem.mcp';
const APPROVED_KEY = 'tandem.mcp.approved';
const DISABLED_KEY = 'tandem.mcp.disabled';
/** How long an agent task waits for servers that are still starting. */
const TASK_START_WAIT_MS = 10_000;

/** One configured server and its connection, as the MCP Servers view shows it. */
export interface McpServerView {
  name: string;
  source: McpServerConfig['source'];
  state: McpServerState;
  /** Where it runs, in a few words ("bubblewrap sandbox, no network", "not sandboxed", "https://…"). */
  where: string;
  error?: string;
  stderr: string[];
  tools: Array<{ name: string; description: string }>;
}

interface Entry {
  config: McpServerConfig;
  connection: McpConnection;
  where: string;
  /** Set while it starts, so concurrent callers wait for the same start. */
  starting?: Promise<void>;
  dispose?: () => Promise<void>;
}

export interface McpServersDeps {
  secrets: vscode.SecretStorage;
  /** Per workspace: approvals and disabled servers. */
  state: vscode.Memento;
  log: vscode.LogOutputChannel;
  /** The editor's user-data folder, masked in the sandbox like for commands. */
  extraMasks?: readonly string[];
  detector?: SandboxDetector;
}

/**
 * The MCP servers of this window (docs/mcp.md): read from the person's
 * `tandem.mcp.servers` and the workspace's `.vscode/mcp.json`, started when
 * an agent task or the MCP Servers view needs them, a repository's servers
 * only in a trusted workspace and after the person approved that exact
 * entry. Calls from the agent are asked for here (unless allowed).
 */
export class McpServers implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private config: McpConfig = { servers: [], inputs: [], problems: [] };
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly detector: SandboxDetector;
  private readonly subscriptions: vscode.Disposable[] = [];
  private loaded: Promise<void> | undefined;
  /** Repository servers the person was told about this session (asked once, not at every task). */
  private readonly announced = new Set<string>();

  constructor(private readonly deps: McpServersDeps) {
    this.detector = deps.detector ?? new SandboxDetector();
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/mcp.json');
    const reload = (): void => void this.reload();
    this.subscriptions.push(
      watcher,
      watcher.onDidChange(reload),
      watcher.onDidCreate(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(MCP_SECTION)) reload();
        // Switched to local only: remote servers stop now (and fail with the reason when next started).
        if (event.affectsConfiguration('tandem.dataBoundary.localOnly')) {
          for (const entry of this.entries.values()) if (entry.config.type !== 'stdio') void this.stopEntry(entry, this.initialState(entry.config));
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(reload),
      this.changed,
    );
  }

  /** The servers, for the view (reads the configuration the first time). */
  async list(): Promise<{ servers: McpServerView[]; problems: string[] }> {
    await this.ensureLoaded();
    return { servers: [...this.entries.values()].map((entry) => this.view(entry)), problems: this.config.problems };
  }

  /** Starts, in the background, every server that may start (approved, enabled, not failed). */
  startAll(): void {
    void this.ensureLoaded().then(() => Promise.all([...this.entries.values()].map((entry) => this.ensureStarted(entry))));
  }

  /** Reads both configurations again; servers whose entry changed or went away are stopped. */
  async reload(): Promise<void> {
    this.loaded = this.load();
    await this.loaded;
  }

  /**
   * The tools of the servers that are ready or can start now (for an agent task): starts what is
   * approved and not disabled, waits for it (bounded), and tells the person once about a
   * repository's servers that wait for approval.
   */
  async toolsForTask(): Promise<McpToolInfo[]> {
    await this.ensureLoaded();
    const waiting = [...this.entries.values()].filter((entry) => entry.connection.state === 'awaitingApproval' && !this.announced.has(entry.config.name));
    if (waiting.length > 0) {
      for (const entry of waiting) this.announced.add(entry.config.name);
      const names = waiting.map((entry) => entry.config.name).join(', ');
      void vscode.window
        .showInformationMessage(`This workspace's .vscode/mcp.json names MCP servers that have not been approved: ${names}. Their tools are not offered to the agent until you approve them.`, 'Review…')
        .then((choice) => (choice ? vscode.commands.executeCommand('tandem.mcp.approveServer') : undefined));
    }
    // A server that hangs while starting delays the task by TASK_START_WAIT_MS at most; it may join the next task.
    const started = Promise.all([...this.entries.values()].map((entry) => this.ensureStarted(entry)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([started, new Promise((resolve) => (timer = setTimeout(resolve, TASK_START_WAIT_MS)))]);
    clearTimeout(timer);
    const allow = alwaysAllowList(vscode.workspace.getConfiguration('tandem'));
    return [...this.entries.values()]
      .filter((entry) => entry.connection.state === 'ready')
      .flatMap((entry) => entry.connection.toolInfos((tool) => isAlwaysAllowed(allow, entry.config.source, entry.config.name, tool), entry.config.source));
  }

  /** A tool call of the agent: asked for when the service says so, then run with the call's timeout; Stop cancels it. */
  async call(call: McpCall, stepId: string, ui: AgentUi, token: vscode.CancellationToken): Promise<McpCallResult> {
    const entry = this.entries.get(call.server);
    if (!entry || entry.connection.state !== 'ready') {
      return { kind: 'mcpCall', approved: false, errorClass: 'notReady', reason: `The MCP server ${call.server} is not ready${entry?.connection.error ? ` (${entry.connection.error})` : ''}.` };
    }
    if (!entry.connection.tools.some((tool) => tool.tool === call.tool)) {
      return { kind: 'mcpCall', approved: false, errorClass: 'noTool', reason: `The MCP server ${call.server} has no tool ${call.tool}.` };
    }
    let answer: McpAnswer | undefined;
    if (call.needsApproval) {
      const shown = JSON.stringify(call.arguments, null, 1);
      const prompt = `Call the tool ${call.tool} of MCP server ${call.server} with ${shown.length > 1_500 ? `${shown.slice(0, 1_500)}…` : shown}?`;
      const entryToAllow = alwaysAllowEntry(entry.config.source, call.server, call.tool);
      answer = await ui.approve(stepId, { kind: 'mcp', prompt, ...(entryToAllow ? { alwaysAllow: entryToAllow } : {}) }, token);
      if (answer === 'reject' || token.isCancellationRequested) return { kind: 'mcpCall', approved: false, answer: 'reject', reason: 'The person declined this call.' };
      if (answer === 'alwaysAllow') {
        // Offered for the person's own servers only; from any other card it allows the tool for this task.
        if (entryToAllow) await this.allowPermanently(entryToAllow);
        else answer = 'allowForTask';
      }
    }
    const allowForTask = answer === 'allowForTask' || answer === 'alwaysAllow';
    const abort = new AbortController();
    const link = token.onCancellationRequested(() => abort.abort());
    try {
      this.deps.log.info(`MCP ${call.server}: calls ${call.tool}`);
      const started = performance.now();
      const outcome = await entry.connection.call(call.tool, call.arguments, { timeoutMs: call.timeoutSeconds * 1000, signal: abort.signal });
      const durationMs = Math.round(performance.now() - started);
      if (outcome.error !== undefined) this.deps.log.warn(`MCP ${call.server}: ${call.tool} failed: ${outcome.error}`);
      return {
        kind: 'mcpCall',
        approved: true,
        ...(answer ? { answer } : {}),
        ...(allowForTask ? { allowForTask } : {}),
        durationMs,
        ...(outcome.error !== undefined ? { error: outcome.error, ...(outcome.errorClass ? { errorClass: outcome.errorClass } : {}) } : { text: outcome.text ?? '' }),
      };
    } finally {
      link.dispose();
    }
  }

  /** "Always allow" on a call's card: the person's own settings, never the workspace's. */
  private async allowPermanently(entry: string): Promise<void> {
    try {
      await addAlwaysAllow(vscode.workspace.getConfiguration('tandem'), entry);
      this.deps.log.info(`MCP: ${entry} added to tandem.mcp.alwaysAllow (user settings)`);
    } catch (error) {
      // The call still runs (the person allowed it); only the permanence failed.
      this.deps.log.warn(`MCP: could not add ${entry} to tandem.mcp.alwaysAllow: ${errorMessage(error)}`);
    }
  }

  async restart(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return;
    if (this.disabled().has(name)) await this.setDisabled(name, false);
    // A start under way (the view opened, a task began) ends first: stopping it midway would leave it stopped.
    await entry.starting;
    await this.stopEntry(entry, this.initialState(entry.config));
    await this.ensureStarted(entry);
  }

  async setDisabled(name: string, disabled: boolean): Promise<void> {
    const set = this.disabled();
    if (disabled) set.add(name);
    else set.delete(name);
    await this.deps.state.update(DISABLED_KEY, [...set]);
    const entry = this.entries.get(name);
    if (entry) await this.stopEntry(entry, disabled ? 'disabled' : this.initialState(entry.config));
    this.changed.fire();
  }

  /** Asks the person (modal, with what exactly would run) to approve a repository's server; remembered for this workspace. */
  async approve(name: string): Promise<boolean> {
    const entry = this.entries.get(name);
    if (!entry || entry.config.source !== 'workspace') return false;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('This workspace is in Restricted Mode: its MCP servers do not start. Trust the workspace first.');
      return false;
    }
    const sandbox = await this.detector.detect();
    const detail = describeServer(entry.config, sandbox.kind === 'none' ? undefined : `${sandbox.kind}, ${allowSandboxNetwork() ? 'network allowed' : 'no network'}`);
    const choice = await vscode.window.showWarningMessage(`Start the MCP server "${name}" named by this repository's .vscode/mcp.json?`, { modal: true, detail }, 'Start Server');
    if (choice !== 'Start Server') return false;
    const approved = new Set(this.deps.state.get<string[]>(APPROVED_KEY, []));
    approved.add(approvalKey(entry.config));
    await this.deps.state.update(APPROVED_KEY, [...approved]);
    await this.stopEntry(entry, 'stopped');
    void this.ensureStarted(entry);
    return true;
  }

  /**
   * The connections for `@mcp` context: starts what may start (approved, enabled), waits at most
   * `waitMs` for it, then gives the ready ones and why each other one is not.
   */
  async contextConnections(waitMs: number): Promise<{ ready: McpConnection[]; notReady: Array<{ name: string; why: string }> }> {
    await this.ensureLoaded();
    const started = Promise.all([...this.entries.values()].map((entry) => this.ensureStarted(entry)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([started, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    const entries = [...this.entries.values()];
    return {
      ready: entries.filter((entry) => entry.connection.state === 'ready').map((entry) => entry.connection),
      notReady: entries
        .filter((entry) => entry.connection.state !== 'ready')
        .map((entry) => ({ name: entry.config.name, why: `${entry.connection.state}${entry.connection.error ? `: ${entry.connection.error}` : ''}` })),
    };
  }

  /** Names of the repository's servers waiting for approval. */
  awaitingApproval(): string[] {
    return [...this.entries.values()].filter((entry) => entry.connection.state === 'awaitingApproval').map((entry) => entry.config.name);
  }

  dispose(): void {
    for (const entry of this.entries.values()) void this.stopEntry(entry, 'stopped');
    this.entries.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private ensureLoaded(): Promise<void> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<void> {
    // The person's own value only: a workspace's settings.json may not add servers (the setting is user-only too).
    const user = parseMcpConfig({ servers: userValue(vscode.workspace.getConfiguration('tandem'), 'mcp.servers') ?? {}, inputs: [] }, 'user');
    const workspace = await this.readWorkspaceFile();
    this.config = mergeConfigs(user, workspace);
    const keep = new Set<string>();
    for (const config of this.config.servers) {
      keep.add(config.name);
      const existing = this.entries.get(config.name);
      if (existing && JSON.stringify(existing.config) === JSON.stringify(config)) {
        // Trust or approval may have changed: a server that waited may start now.
        if (existing.connection.state === 'awaitingApproval' || existing.connection.state === 'blocked') await this.stopEntry(existing, this.initialState(config));
        continue;
      }
      if (existing) await this.stopEntry(existing, 'stopped');
      const connection = new McpConnection(config.name, () => this.changed.fire());
      const entry: Entry = { config, connection, where: config.type === 'stdio' ? '' : config.url };
      this.entries.set(config.name, entry);
      await connection.stop(this.initialState(config));
    }
    for (const [name, entry] of this.entries) {
      if (keep.has(name)) continue;
      await this.stopEntry(entry, 'stopped');
      this.entries.delete(name);
    }
    for (const problem of this.config.problems) this.deps.log.warn(`MCP: ${problem}`);
    this.changed.fire();
  }

  private async readWorkspaceFile(): Promise<McpConfig> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder) return { servers: [], inputs: [], problems: [] };
    const uri = vscode.Uri.joinPath(folder, '.vscode', 'mcp.json');
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > CONFIG_LIMITS.fileBytes) return { servers: [], inputs: [], problems: [`mcp.json is larger than ${CONFIG_LIMITS.fileBytes / 1024} KB: not read`] };
      const bytes = await vscode.workspace.fs.readFile(uri);
      return parseMcpJson(new TextDecoder().decode(bytes), 'workspace');
    } catch {
      return { servers: [], inputs: [], problems: [] };
    }
  }

  private disabled(): Set<string> {
    return new Set(this.deps.state.get<string[]>(DISABLED_KEY, []));
  }

  /** Where a server that is not running stands: disabled, blocked (Restricted Mode), awaiting approval, or stopped (may start). */
  private initialState(config: McpServerConfig): McpServerState {
    return startState(config, { trusted: vscode.workspace.isTrusted, approved: new Set(this.deps.state.get<string[]>(APPROVED_KEY, [])), disabled: this.disabled() });
  }

  private ensureStarted(entry: Entry): Promise<void> {
    const state = entry.connection.state;
    if (state === 'ready' || state === 'failed') return Promise.resolve();
    if (entry.starting) return entry.starting;
    if (this.initialState(entry.config) !== 'stopped') return Promise.resolve();
    entry.starting = this.start(entry).finally(() => {
      entry.starting = undefined;
    });
    return entry.starting;
  }

  private async start(entry: Entry): Promise<void> {
    const { config, connection } = entry;
    let transport: ServerTransport;
    try {
      const inputs = await this.inputValues(config);
      if (!inputs) {
        await connection.stop('stopped');
        return;
      }
      if (config.type === 'stdio') {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
        const sandbox = await this.detector.detect();
        const network = allowSandboxNetwork();
        const launch = await serverLaunch(config, {
          workspace: folder,
          sandbox: sandbox.kind === 'none' ? undefined : sandbox,
          network,
          inputs,
          ...(this.deps.extraMasks ? { extraMasks: this.deps.extraMasks } : {}),
        });
        entry.dispose = launch.dispose;
        entry.where = launch.sandboxed ? `sandboxed (${sandbox.kind}, ${network ? 'network allowed' : 'no network'})` : 'not sandboxed';
        transport = new StdioProcessTransport(launch.spec);
      } else {
        // The data boundary's local-only rule covers where the agent's tool arguments go too.
        const endpoint = decideEndpoint(config.url);
        if (userValue(vscode.workspace.getConfiguration('tandem'), 'dataBoundary.localOnly') === true && !endpoint.local) {
          await connection.failWith(`tandem.dataBoundary.localOnly is on, and ${endpoint.reason}: tool calls would send the agent's arguments there`);
          return;
        }
        const headers: Record<string, string> = {};
        for (const [key, text] of Object.entries(config.headers)) headers[key] = substitute(text, '', inputs) ?? '';
        const url = new URL(config.url);
        transport = config.type === 'sse' ? new SSEClientTransport(url, { requestInit: { headers } }) : new StreamableHTTPClientTransport(url, { requestInit: { headers } });
      }
    } catch (error) {
      await connection.failWith(`could not start: ${errorMessage(error)}`);
      this.deps.log.warn(`MCP ${config.name}: could not start: ${errorMessage(error)}`);
      return;
    }
    this.deps.log.info(`MCP ${config.name}: starting (${entry.where})`);
    await connection.start(transport, { connectMs: CONNECT_TIMEOUT_MS });
    if (connection.state === 'failed') this.deps.log.warn(`MCP ${config.name}: ${connection.error ?? 'failed'}${connection.stderr.length ? `\n${connection.stderr.join('\n')}` : ''}`);
    else this.deps.log.info(`MCP ${config.name}: ready with ${connection.tools.length} tools`);
  }

  /** The `${input:…}` values a server needs: from the secret storage, or asked once and stored. Undefined when the person cancels. */
  private async inputValues(config: McpServerConfig): Promise<Map<string, string> | undefined> {
    const values = new Map<string, string>();
    for (const id of inputsUsed(config)) {
      const input = this.config.inputs.find((candidate) => candidate.id === id && candidate.source === config.source);
      if (!input) continue;
      const key = this.secretKey(config.source, id);
      let value = await this.deps.secrets.get(key);
      if (value === undefined) {
        value = await vscode.window.showInputBox({
          title: `MCP server ${config.name}${config.source === 'workspace' ? ' (from this repository)' : ''}`,
          prompt: input.description,
          password: input.password,
          ignoreFocusOut: true,
        });
        if (value === undefined) return undefined;
        await this.deps.secrets.store(key, value);
      }
      values.set(id, value);
    }
    return values;
  }

  /** A repository's inputs are kept per workspace folder: another repository cannot ask for the same id and get the value. */
  private secretKey(source: McpServerConfig['source'], id: string): string {
    if (source === 'user') return `tandem.mcp.input.user.${id}`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? '';
    return `tandem.mcp.input.workspace.${createHash('sha256').update(folder).digest('hex').slice(0, 16)}.${id}`;
  }

  private async stopEntry(entry: Entry, state: McpServerState): Promise<void> {
    await entry.connection.stop(state);
    const dispose = entry.dispose;
    entry.dispose = undefined;
    await dispose?.().catch(() => undefined);
  }

  private view(entry: Entry): McpServerView {
    const { connection, config } = entry;
    const error = connection.error;
    return {
      name: config.name,
      source: config.source,
      state: connection.state,
      where: config.type === 'stdio' ? entry.where : config.url,
      ...(error ? { error } : {}),
      stderr: connection.stderr,
      tools: connection.tools.map((tool) => ({ name: tool.tool, description: tool.description })),
    };
  }
}

/** What exactly would run (or where requests would go), for the approval dialog. */
export function describeServer(config: McpServerConfig, sandbox: string | undefined): string {
  if (config.type !== 'stdio') {
    const headers = Object.keys(config.headers);
    return [`URL: ${config.url}`, headers.length ? `Headers: ${headers.join(', ')}` : '', 'Tool calls send the agent\'s arguments to this address.'].filter(Boolean).join('\n');
  }
  const env = Object.entries(config.env).map(([key, value]) => `${key}=${value}`);
  return [
    `Command: ${config.command}`,
    config.args.length ? `Arguments: ${config.args.map((arg) => JSON.stringify(arg)).join(' ')}` : '',
    env.length ? `Environment: ${env.join(' ')}` : '',
    config.cwd ? `Folder: ${config.cwd}` : '',
    sandbox ? `It runs in the OS sandbox (${sandbox}), like the agent's commands.` : 'There is no OS sandbox here: it runs with your permissions.',
    'You are asked again if this entry changes. Each tool call is still asked for.',
  ]
    .filter(Boolean)
    .join('\n');
}
