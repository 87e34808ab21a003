/**
 * Scenario harness for the agent loop: the fixture project copied to a temp
 * dir, the scripted model server playing the model, and a fake client that
 * answers the service's client-tool requests per script (approve, reject,
 * apply change sets to the temp dir, run commands with child_process).
 */
import { exec } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAgent, type AgentDeps } from '../../../src/server/agent/agentLoop';
import { DEFAULT_AGENT_SETTINGS } from '../../../src/server/agent/validate';
import { ServiceLog } from '../../../src/server/log';
import type { AuditSink } from '../../../src/server/services/audit/trail';
import { DEFAULT_COMPLETION_SETTINGS } from '../../../src/shared/defaults';
import type { AgentProgressParams, AgentRunResult, AgentSettings, AgentStep, ClientToolCall, ClientToolParams, ClientToolResult } from '../../../src/shared/agentProtocol';
import type { ChangeSet } from '../../../src/shared/edits';
import type { McpCall, McpCallResult, McpToolInfo } from '../../../src/shared/mcpProtocol';
import type { ChatDeltaParams, DiagnosticInfo, TandemSettings } from '../../../src/shared/protocol';
import type { Reply } from '../../support/modelServer';
import { ScriptedModelServer } from '../../support/modelServer';

export const FIXTURE = path.resolve(path.dirname(__filename), '../../fixtures/agent-project');
export const SECRET = 'fixture-secret-value-8731';

export function copyFixture(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-agent-'));
  cpSync(FIXTURE, dir, { recursive: true });
  // Written here too, in case the fixture's dotfiles were not checked out.
  writeFileSync(path.join(dir, '.env'), `SECRET_TOKEN=${SECRET}\n`);
  if (!existsSync(path.join(dir, '.gitignore'))) writeFileSync(path.join(dir, '.gitignore'), 'dist/\n*.log\n');
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A streamed reply that calls one tool (optionally after some text). */
export type StreamReply = Extract<Reply, { kind: 'stream' }>;

export function toolCall(name: string, args: Record<string, unknown>, text = ''): StreamReply {
  return { kind: 'stream', text, toolCalls: [{ name, arguments: JSON.stringify(args) }] };
}

export function answer(text: string): StreamReply {
  return { kind: 'stream', text };
}

export type Decision = { approved: boolean; reason?: string; allowForTask?: boolean };

export interface FakeClientScript {
  /** Review of a change set (policy ask); default: accept all. */
  review?: (changeSet: ChangeSet) => Decision;
  /** Approval of a command that needs it; default: approve. */
  command?: (command: string) => Decision;
  approve?: (title: string, detail: string) => Decision;
  answerUser?: (question: string) => string | undefined;
  /** Unsaved buffers to report. */
  buffers?: Array<{ path: string; text: string }>;
  /** An MCP tool call (default: not approved, "no MCP server"). */
  mcp?: (call: McpCall, signal: AbortSignal) => McpCallResult | Promise<McpCallResult>;
  /** The editor's problems (default: none for each requested path). */
  diagnostics?: (paths: string[] | undefined) => Array<{ path: string; items: DiagnosticInfo[] }>;
  /** Called for every request before it is answered (e.g. to Stop). */
  onCall?: (call: ClientToolCall) => void | Promise<void>;
}

/** The client side as a test double: records every call, applies change sets to `root`, runs commands for real. */
export class FakeClient {
  readonly calls: ClientToolParams[] = [];
  constructor(
    private readonly root: string,
    private readonly script: FakeClientScript = {},
  ) {}

  handle = async (params: ClientToolParams, signal: AbortSignal): Promise<ClientToolResult> => {
    this.calls.push(params);
    await this.script.onCall?.(params.call);
    const call = params.call;
    switch (call.kind) {
      case 'openBuffers':
        return { kind: 'openBuffers', files: this.script.buffers ?? [] };
      case 'diagnostics':
        return { kind: 'diagnostics', diagnostics: this.script.diagnostics?.(call.paths) ?? (call.paths ?? []).map((p) => ({ path: p, items: [] })) };
      case 'askUser':
        return { kind: 'askUser', answer: this.script.answerUser?.(call.question) };
      case 'approve': {
        const decision = this.script.approve?.(call.title, call.detail) ?? { approved: false };
        return { kind: 'approve', approved: decision.approved, ...(decision.allowForTask ? { allowForTask: true } : {}) };
      }
      case 'applyChanges': {
        const decision = call.autoApply ? { approved: true } : (this.script.review?.(call.changeSet) ?? { approved: true });
        const paths = call.changeSet.changes.map((change) => change.path);
        if (!decision.approved) return { kind: 'applyChanges', applied: [], rejected: paths, message: decision.reason ?? '' };
        for (const change of call.changeSet.changes) {
          const target = path.join(this.root, change.path);
          if (change.kind === 'delete') unlinkSync(target);
          else {
            mkdirSync(path.dirname(target), { recursive: true });
            writeFileSync(change.kind === 'update' && change.moveTo ? path.join(this.root, change.moveTo) : target, change.newText);
            if (change.kind === 'update' && change.moveTo) unlinkSync(target);
          }
        }
        return { kind: 'applyChanges', applied: paths, rejected: [], message: '' };
      }
      case 'runCommand': {
        const decision = call.needsApproval ? (this.script.command?.(call.command) ?? { approved: true }) : { approved: true };
        if (!decision.approved) return { kind: 'runCommand', approved: false, output: '', ...(decision.reason ? { reason: decision.reason } : {}) };
        const ran = await run(call.command, call.cwd ?? this.root, call.timeoutSeconds, signal);
        return { kind: 'runCommand', approved: true, ...ran, ...(decision.allowForTask ? { allowForTask: true } : {}) };
      }
      case 'mcpCall':
        return (await this.script.mcp?.(call, signal)) ?? { kind: 'mcpCall', approved: false, reason: 'No MCP server.' };
    }
  };

  kinds(): string[] {
    return this.calls.map((params) => params.call.kind);
  }
}

function run(command: string, cwd: string, timeoutSeconds: number, signal: AbortSignal): Promise<{ exitCode: number; output: string; timedOut?: boolean }> {
  return new Promise((resolve) => {
    exec(command, { cwd, timeout: timeoutSeconds * 1000, signal }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
      resolve({ exitCode: code, output: `${stdout}${stderr}`, ...(error?.killed ? { timedOut: true } : {}) });
    });
  });
}

export interface RunRecord {
  result: AgentRunResult;
  steps: AgentStep[];
  /** The last version of each step, by id, in order. */
  finalSteps: AgentStep[];
  deltas: ChatDeltaParams[];
  progress: AgentProgressParams[];
  logs: string[];
  timings: Array<{ kind: 'turn' | 'step'; id: string; serviceMs: number; estimatedPromptTokens?: number }>;
}

export interface RunOptions {
  root: string;
  task: string;
  settings?: Partial<AgentSettings>;
  client: FakeClient;
  signal?: AbortSignal;
  activeFile?: string;
  model?: string;
  /** Overrides of the service settings (retries, timeout). */
  tandem?: Partial<TandemSettings>;
  /** The audit trail the task records to (default: none). */
  audit?: AuditSink;
  /** The MCP servers' tools offered to the model. */
  mcpTools?: McpToolInfo[];
}

export function tandemSettings(server: ScriptedModelServer): TandemSettings {
  return {
    baseUrl: server.baseUrl,
    model: 'test-model',
    completionModel: 'test-model',
    apiKey: '',
    logContents: false,
    requestTimeout: 10,
    maxRetries: 0,
    completions: DEFAULT_COMPLETION_SETTINGS,
  };
}

export async function runScenario(server: ScriptedModelServer, options: RunOptions): Promise<RunRecord> {
  const steps: AgentStep[] = [];
  const deltas: ChatDeltaParams[] = [];
  const progress: AgentProgressParams[] = [];
  const logs: string[] = [];
  const timings: RunRecord['timings'] = [];
  const deps: AgentDeps = {
    sendDelta: (delta) => deltas.push(delta),
    sendNotice: () => undefined,
    sendStep: ({ step }) => steps.push(step),
    sendProgress: (params) => progress.push(params),
    callClient: options.client.handle,
    log: new ServiceLog({ info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) }),
    onTiming: (entry) => timings.push(entry),
    ...(options.audit ? { audit: options.audit } : {}),
  };
  const result = await runAgent(
    {
      streamId: 'agent-1',
      messages: [{ role: 'user', content: options.task }],
      root: options.root,
      settings: { ...DEFAULT_AGENT_SETTINGS, ...options.settings },
      ...(options.activeFile ? { activeFile: options.activeFile } : {}),
      ...(options.model ? { model: options.model } : {}),
      ...(options.mcpTools ? { mcpTools: options.mcpTools } : {}),
    },
    { ...tandemSettings(server), ...(options.model ? { model: options.model } : {}), ...options.tandem },
    options.signal ?? new AbortController().signal,
    deps,
  );
  const byId = new Map<string, AgentStep>();
  for (const step of steps) byId.set(step.id, step);
  return { result, steps, finalSteps: [...byId.values()], deltas, progress, logs, timings };
}

/** The messages array of each chat request the scripted server received. */
export function requestMessages(server: ScriptedModelServer): Array<Array<Record<string, unknown>>> {
  return server.chatRequests().map((request) => {
    const body = request.body as { messages?: Array<Record<string, unknown>> };
    return body.messages ?? [];
  });
}

/** The tool results (role 'tool') of the last chat request, in order. */
export function toolResults(messages: Array<Record<string, unknown>>): string[] {
  return messages.filter((message) => message.role === 'tool').map((message) => String(message.content));
}

export function readText(root: string, relative: string): string {
  return readFileSync(path.join(root, relative), 'utf8');
}

/** Scenario (1): the model fixes the fixture's two bugs, running the tests in between. */
export const FIX_ADD = `*** Begin Patch
*** Update File: src/math.js
@@
 function add(a, b) {
-  return a - b;
+  return a + b;
 }
*** End Patch`;

export const FIX_MULTIPLY = `*** Begin Patch
*** Update File: src/math.js
@@
 function multiply(a, b) {
-  return a * b + 1;
+  return a * b;
 }
*** End Patch`;

export function fixTestsScript(): StreamReply[] {
  return [
    toolCall('read_file', { path: 'src/math.js' }, 'Let me look at the code under test.'),
    toolCall('apply_patch', { patch: FIX_ADD }, 'add subtracts; fixing it.'),
    toolCall('run_command', { command: 'npm test', why: 'Check the fix' }),
    toolCall('apply_patch', { patch: FIX_MULTIPLY }, 'multiply adds one; fixing it.'),
    toolCall('run_command', { command: 'npm test', why: 'Check again' }),
    toolCall('finish', { summary: 'Fixed add and multiply in src/math.js.', verification: 'npm test passes (2 ok).' }),
  ];
}

/**
 * The usual setup of a scenario suite: one scripted model server for the
 * suite (reset before each test) and a fresh copy of the fixture project per
 * test, removed after it. The callbacks hand them to the suite's variables.
 */
export function useFixtureProject(setServer: (server: ScriptedModelServer) => void, setRoot: (root: string) => void): void {
  let server: ScriptedModelServer | undefined;
  let root: string | undefined;
  before(async () => {
    server = await ScriptedModelServer.start();
    setServer(server);
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.reset();
    root = copyFixture();
    setRoot(root);
  });
  afterEach(() => {
    if (root) removeDir(root);
  });
}
