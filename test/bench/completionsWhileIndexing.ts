/**
 * Inline completion latency while the codebase index builds (for
 * `bench:context`, issue 14's "completion overhead while indexing"): the
 * model service from the sources (`node --import tsx src/server/main.ts lsp
 * --stdio`, one process; the index builds in its worker thread, completions in the main one),
 * over stdio, against the scripted model server in this process (no model
 * latency). Inline completions are requested one after another, each after a
 * fresh keystroke (no cache hit), invoked explicitly (no adaptive debounce:
 * what is measured is the service, not the typing rhythm), with short random pauses so that requests
 * land at every point of the index's time slices:
 *   1. idle: the workspace is one empty folder, its index ready;
 *   2. indexing: a large folder is added (workspace/didChangeWorkspaceFolders)
 *      and requests run from the index's progress `begin` until its `end`.
 * The figure is end-to-end (request sent → answer received), which is what
 * a person would notice: JSON-RPC, the engine, the model round trip, and any
 * wait for the event loop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWorkspaceFoldersNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  InlineCompletionRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';
import { SearchCodebaseRequest } from '../../src/shared/codebaseProtocol';
import { ScriptedModelServer } from '../support/modelServer';
import { seededRandom } from '../support/random';

const repository = path.resolve(__dirname, '../..');
const MODEL = 'bench-completion-model';

export interface LatencyFigures {
  phase: string;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** How long the phase lasted (for indexing: the build, begin to end of its progress). */
  phaseMs: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function figures(phase: string, latencies: number[], phaseMs: number): LatencyFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { phase, requests: sorted.length, p50Ms: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95), p99Ms: quantile(sorted, 0.99), maxMs: sorted.at(-1) ?? 0, phaseMs };
}

/** Idle and while-indexing latency figures; `large` is the folder whose indexing is measured. */
export async function measureCompletionsWhileIndexing(large: string, idleRequests = 200): Promise<LatencyFigures[]> {
  const model = await ScriptedModelServer.start({ models: [MODEL] });
  model.setDefaultReply({ kind: 'json', text: 'Total(values);' });
  const empty = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-idle-'));
  const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_BASE_URL: model.baseUrl, TANDEM_AUDIT: 'off' };
  delete env.OPENAI_API_KEY;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repository, 'src/server/main.ts'), 'lsp', '--stdio'], { env, stdio: 'pipe', cwd: repository });
  child.stderr.resume();
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const progress: Array<{ kind: string; at: number }> = [];
  let onProgress: () => void = () => undefined;
  connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    connection.onProgress(WorkDoneProgress.type, token, (value) => {
      progress.push({ kind: value.kind, at: performance.now() });
      onProgress();
    });
  });
  const progressEvent = (kind: string, after: number): Promise<number> =>
    new Promise((resolve) => {
      const check = (): void => {
        const found = progress.slice(after).find((entry) => entry.kind === kind);
        if (found) resolve(found.at);
      };
      const previous = onProgress;
      onProgress = () => {
        previous();
        check();
      };
      check();
    });
  connection.listen();
  const random = seededRandom(11);
  try {
    const emptyUri = pathToFileURL(empty).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: emptyUri,
      workspaceFolders: [{ uri: emptyUri, name: 'idle' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { workspaceFolders: true, configuration: false } },
      initializationOptions: { tandem: { completionModel: MODEL, completions: { debounceMs: 0 } } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    // The empty folder's index is ready once a search answers.
    await connection.sendRequest(SearchCodebaseRequest.type, { query: 'warm up' });
    const uri = `${emptyUri}/edit.ts`;
    let text = 'export function sum(values: number[]): number {\n  return values.reduce((a, b) => a + b, 0);\n}\n\nconst total = compute';
    let version = 1;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version, text } });
    const lines = (): { line: number; character: number } => {
      const all = text.split('\n');
      return { line: all.length - 1, character: (all.at(-1) ?? '').length };
    };
    /** One keystroke (a letter the suggestion does not start with: no cache hit), then one inline completion request; its latency. */
    const request = async (): Promise<number> => {
      const at = lines();
      const letter = 'abcdefghijklmnopqrs'[Math.floor(random() * 19)] ?? 'a';
      text += letter;
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: at, end: at }, text: letter }] });
      const started = performance.now();
      await connection.sendRequest(InlineCompletionRequest.type, { textDocument: { uri }, position: lines(), context: { triggerKind: 1 } });
      return performance.now() - started;
    };
    const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5 + random() * 25));
    for (let i = 0; i < 30; i++) await request(); // warm-up (JIT, connections)
    const idle: number[] = [];
    const idleStarted = performance.now();
    for (let i = 0; i < idleRequests; i++) {
      idle.push(await request());
      await pause();
    }
    const idleMs = performance.now() - idleStarted;

    const seen = progress.length;
    const begun = progressEvent('begin', seen);
    const ended = progressEvent('end', seen);
    let done = false;
    void ended.then(() => (done = true));
    await connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [{ uri: pathToFileURL(large).href, name: 'large' }], removed: [] } });
    const beganAt = await begun;
    const busy: number[] = [];
    while (!done) {
      busy.push(await request());
      await pause();
    }
    const endedAt = await ended;
    return [figures('idle (index ready, nothing to do)', idle, idleMs), figures('while indexing 10,000 files', busy, endedAt - beganAt)];
  } finally {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection.dispose();
    if (child.exitCode === null) child.kill();
    await model.close();
    rmSync(empty, { recursive: true, force: true });
  }
}
