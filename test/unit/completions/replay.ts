/**
 * Replays a recorded typing run (test/fixtures/typing) through the completion
 * engine against the scripted model server — real HTTP, with time on a
 * virtual clock so that every run gives the same numbers:
 *
 * - keystrokes happen at their recorded times; before each, the previous
 *   request is cancelled (as VS Code does) and the edit is applied;
 * - a model call is answered `latencyMs` of virtual time after it started:
 *   the server holds the HTTP response until then, so an abort before that
 *   really closes the connection (the server records `closedEarly`);
 * - the scripted model answers with what comes next in the real file
 *   ("along": the person then types exactly the suggested text) or with
 *   another line of the file ("free": the suggestions are wrong).
 * Used by replay.test.ts and scripts/bench-completions.mjs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { callModel as httpCallModel, type CallModel } from '../../../src/server/completions/backend';
import { CompletionEngine } from '../../../src/server/completions/engine';
import { ServiceLog } from '../../../src/server/log';
import type { CompletionStatsResult, TandemSettings } from '../../../src/shared/protocol';
import { ScriptedModelServer, type RecordedRequest, type Reply } from '../../support/modelServer';
import { turns, VirtualClock } from './virtualClock';

export interface Recording {
  file: string;
  languageId: string;
  related: string[];
  initial: string;
  final: string;
  /** [delayMs, typed text] or [delayMs, -backspaces]. */
  events: Array<[number, string | number]>;
}

export type ReplayMode = 'along' | 'free';

export interface ReplayOptions {
  mode: ReplayMode;
  latencyMs?: number;
  model?: string;
  debounceMs?: number;
  /** Called after every keystroke (e.g. to sample memory). */
  onKeystroke?: (index: number) => void;
}

export interface ReplayResult {
  keystrokes: number;
  /** Completion requests the scripted server received, and how many of them the engine closed early. */
  serverRequests: number;
  serverClosedEarly: number;
  /** Keystrokes after which a suggestion was shown before the next keystroke. */
  answered: number;
  stats: CompletionStatsResult;
  virtualMs: number;
}

export const FIXTURES = path.resolve(path.dirname(__filename), '../../fixtures/typing');
export const REPLAY_MODEL = 'qwen2.5-coder:7b';
export const REPLAY_LATENCY_MS = 150;

export function loadRecording(name = 'ttlCache.typing.json'): Recording {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Recording;
}

/** The text between the FIM markers of a Qwen prompt. */
function fimPrefix(prompt: string): string {
  const start = prompt.indexOf('<|fim_prefix|>');
  const end = prompt.indexOf('<|fim_suffix|>');
  return start >= 0 && end > start ? prompt.slice(start + '<|fim_prefix|>'.length, end) : prompt;
}

/** The scripted model: the rest of the line and two more lines of the real file, or (free) some other line of it. */
export function simulatedAnswer(final: string, prompt: string, mode: ReplayMode): string {
  const prefix = fimPrefix(prompt);
  const tail = prefix.slice(-160);
  const at = tail.length === 0 ? 0 : final.indexOf(tail);
  if (at < 0) {
    return '';
  }
  const position = at + tail.length;
  if (mode === 'free') {
    const lines = final.split('\n');
    const line = final.slice(0, position).split('\n').length;
    return (lines[(line * 7 + 3) % lines.length] ?? '').trim() || 'undefined;';
  }
  let end = position;
  for (let i = 0; i < 3 && end < final.length; i++) {
    const next = final.indexOf('\n', end + (i === 0 ? 0 : 1));
    end = next < 0 ? final.length : next;
  }
  return final.slice(position, end);
}

function promptKey(body: unknown): string {
  const record = body as { prompt?: unknown; messages?: unknown };
  return typeof record.prompt === 'string' ? record.prompt : JSON.stringify(record.messages);
}

export async function replay(recording: Recording, options: ReplayOptions): Promise<ReplayResult> {
  const latencyMs = options.latencyMs ?? REPLAY_LATENCY_MS;
  const model = options.model ?? REPLAY_MODEL;
  const server = await ScriptedModelServer.start({ models: [model] });
  const gates = new Map<string, Array<Promise<void>>>();
  /** Model calls made and not yet seen by the server, by prompt. */
  const expected = new Map<string, Array<() => void>>();
  server.onRequest((request) => expected.get(promptKey(request.body))?.shift()?.());
  const arrivals = new Set<Promise<unknown>>();
  const responses = new Set<Promise<unknown>>();
  const settle = async (): Promise<void> => {
    for (let round = 0; round < 20 && (arrivals.size > 0 || responses.size > 0 || round === 0); round++) {
      await Promise.allSettled([...arrivals, ...responses]);
      await turns(3);
    }
  };
  const clock = new VirtualClock(settle);

  server.setDefaultReply((request: RecordedRequest): Reply => {
    const key = promptKey(request.body);
    const held = gates.get(key)?.shift() ?? Promise.resolve();
    return { kind: 'json', text: simulatedAnswer(recording.final, key, options.mode), holdUntil: held };
  });

  /** The real HTTP call, answered `latencyMs` (virtual) after it starts. Its bookkeeping is O(1): it runs inside the measured overhead. */
  const callModel: CallModel = (request, signal) => {
    const key = request.body.kind === 'completions' ? request.body.prompt : JSON.stringify(request.body.messages);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    gates.set(key, [...(gates.get(key) ?? []), gate]);
    const arrival = new Promise<void>((resolve) => expected.set(key, [...(expected.get(key) ?? []), resolve]));
    arrivals.add(arrival);
    void arrival.finally(() => arrivals.delete(arrival));
    const response = httpCallModel(request, signal);
    const tracked = response.catch(() => undefined);
    clock.setTimeout(() => {
      open();
      responses.add(tracked);
      void tracked.finally(() => responses.delete(tracked));
    }, latencyMs);
    return response;
  };

  const settings: TandemSettings = {
    baseUrl: server.baseUrl,
    model,
    completionModel: model,
    apiKey: '',
    logContents: false,
    requestTimeout: 60,
    maxRetries: 0,
    completions: { baseUrl: '', template: 'auto', debounceMs: options.debounceMs ?? 75, maxLines: 12 },
  };
  const uri = `file:///work/app/src/${recording.file}`;
  const documents = new Map<string, TextDocument>();
  for (const related of recording.related) {
    const relatedUri = `file:///work/app/src/${related}`;
    documents.set(relatedUri, TextDocument.create(relatedUri, recording.languageId, 1, readFileSync(path.join(FIXTURES, related), 'utf8')));
  }
  let document = TextDocument.create(uri, recording.languageId, 1, recording.initial);
  documents.set(uri, document);
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const engine = new CompletionEngine({ log: new ServiceLog(quiet), clock, callModel, documents: { get: (u) => documents.get(u) } });
  engine.setWorkspace(['file:///work/app'], 'app');
  for (const opened of documents.keys()) {
    engine.didOpen(opened);
  }

  let time = 0;
  let offset = 0;
  let answered = 0;
  let previous: AbortController | undefined;
  try {
    for (const [index, [delay, edit]] of recording.events.entries()) {
      time += delay;
      await clock.advanceTo(time);
      previous?.abort();
      const start = typeof edit === 'string' ? offset : offset + edit;
      const text = typeof edit === 'string' ? edit : '';
      document = TextDocument.update(
        document,
        [{ range: { start: document.positionAt(start), end: document.positionAt(offset) }, text }],
        document.version + 1,
      );
      documents.set(uri, document);
      offset = start + text.length;
      engine.didChange(uri);
      const controller = new AbortController();
      previous = controller;
      const input = { uri, languageId: recording.languageId, text: document.getText(), offset, triggerKind: 2 as const };
      void engine.provide(input, settings, controller.signal).then((answer) => {
        if (answer && !controller.signal.aborted) {
          answered++;
        }
      });
      await settle();
      options.onKeystroke?.(index);
    }
    await clock.advanceTo(time + 5_000);
    if (document.getText() !== recording.final) {
      throw new Error('the replay did not reproduce the recorded file');
    }
    const requests = server.completionRequests();
    await Promise.all(requests.map((request) => server.waitForClose(request).catch(() => undefined)));
    return {
      keystrokes: recording.events.length,
      serverRequests: requests.length,
      serverClosedEarly: requests.filter((request) => request.closedEarly).length,
      answered,
      stats: engine.snapshot(),
      virtualMs: clock.now(),
    };
  } finally {
    engine.dispose();
    await server.close();
  }
}
