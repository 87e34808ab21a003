/**
 * Runs corpus cases at the service level: the real textDocument/inlineCompletion
 * path, in-process over LSP (registerHandlers on a stream pair), against the
 * scripted model server. One connection per template — a fill-in-the-middle
 * model (qwen2.5-coder, answered on /v1/completions) and a chat model (gpt-4.1,
 * answered on /v1/chat/completions) — and one model server, shared by every
 * case. Each run has its own document (no cache or in-flight reuse between
 * runs) whose path, which the prompt shows, tells the model server which
 * scripted reply to send, so runs can overlap; the debounce is 0 so an
 * automatic trigger costs no wall time.
 */
import { PassThrough } from 'node:stream';
import {
  createProtocolConnection,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  InlineCompletionRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type InlineCompletionItem,
  type InlineCompletionParams,
  type Position,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { registerHandlers } from '../../../../src/server/server';
import { ScriptedModelServer, type RecordedRequest, type Reply } from '../../../support/modelServer';
import { CURSOR, type CorpusCase, type TemplateKind } from './format';

export const TEMPLATE_KINDS: readonly TemplateKind[] = ['fim', 'chat'];

/** The model each template is exercised with (chosen by name: `auto` picks the template). */
export const TEMPLATE_MODELS: Readonly<Record<TemplateKind, string>> = {
  fim: 'qwen2.5-coder:7b',
  chat: 'gpt-4.1',
};

/** Fence tags a chat model typically writes for a language. */
const FENCE_TAGS: Readonly<Record<string, string>> = {
  typescript: 'typescript',
  javascript: 'javascript',
  python: 'python',
  go: 'go',
  rust: 'rust',
  java: 'java',
  c: 'c',
  cpp: 'cpp',
  csharp: 'csharp',
  kotlin: 'kotlin',
  ruby: 'ruby',
  php: 'php',
  json: 'json',
  yaml: 'yaml',
};

const EXTENSIONS: Readonly<Record<string, string>> = {
  typescript: 'ts',
  javascript: 'js',
  python: 'py',
  go: 'go',
  rust: 'rs',
  java: 'java',
  c: 'c',
  cpp: 'cpp',
  csharp: 'cs',
  kotlin: 'kt',
  ruby: 'rb',
  php: 'php',
  json: 'json',
  yaml: 'yaml',
};

export interface CaseRun {
  case: CorpusCase;
  template: TemplateKind;
  /** The model's raw reply sent for this template. */
  reply: string;
  /** The document after applying the item (CURSOR at the end of the insertion), or null: no item. */
  got: string | null;
  expected: string | null;
  passed: boolean;
  /** The item returned, if any. */
  item?: InlineCompletionItem;
  /** Whether VS Code would show the item: with a selected suggest-widget item, only one that extends it. */
  shown?: boolean;
  /** Whether the service asked the model at all. */
  modelCalled: boolean;
}

/** The templates a case runs with. */
export function templatesOf(c: CorpusCase): readonly TemplateKind[] {
  return c.templates ?? TEMPLATE_KINDS;
}

/** The model's raw answer for a template: the chat reply defaults to the FIM reply in a fenced block. */
export function replyFor(c: CorpusCase, template: TemplateKind): string {
  if (template === 'fim' || c.chatReply !== undefined) {
    return template === 'fim' ? c.reply : (c.chatReply ?? c.reply);
  }
  const tag = FENCE_TAGS[c.language] ?? c.language;
  return `\`\`\`${tag}\n${c.reply}${c.reply.endsWith('\n') ? '' : '\n'}\`\`\``;
}

/** The document without its cursor mark, and the cursor offset. */
export function splitCursor(doc: string): { text: string; offset: number } {
  const offset = doc.indexOf(CURSOR);
  if (offset < 0 || doc.indexOf(CURSOR, offset + 1) >= 0) {
    throw new Error(`a case document needs exactly one ${CURSOR}`);
  }
  return { text: doc.slice(0, offset) + doc.slice(offset + CURSOR.length), offset };
}

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function offsetAt(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) {
      return text.length;
    }
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}

/** The document after accepting `item` (its insertText over its range), CURSOR at the end of the insertion. */
export function applyItem(text: string, cursor: number, item: InlineCompletionItem): string {
  const insert = typeof item.insertText === 'string' ? item.insertText : item.insertText.value;
  const start = item.range ? offsetAt(text, item.range.start) : cursor;
  const end = item.range ? offsetAt(text, item.range.end) : cursor;
  return text.slice(0, start) + insert + CURSOR + text.slice(end);
}

/** LSP InlineCompletionParams plus the editor's formatting options for the document (issue 11). */
type CorpusParams = InlineCompletionParams & { formattingOptions?: { tabSize: number; insertSpaces: boolean } };

interface Endpoint {
  server: Connection;
  client: ProtocolConnection;
}

/** Runs that overlap by default (the service answers each while others wait for their model call). */
export const DEFAULT_CONCURRENCY = 4;

interface Scripted {
  reply: Reply;
  called: boolean;
}

export class CorpusRunner {
  private serial = 0;
  private readonly scripted = new Map<number, Scripted>();

  private constructor(
    private readonly model: ScriptedModelServer,
    private readonly endpoints: Readonly<Record<TemplateKind, Endpoint>>,
  ) {
    model.setDefaultReply((request) => this.answer(request));
  }

  static async start(): Promise<CorpusRunner> {
    const model = await ScriptedModelServer.start({ models: Object.values(TEMPLATE_MODELS) });
    const endpoints = {
      fim: await connect(model.baseUrl, TEMPLATE_MODELS.fim),
      chat: await connect(model.baseUrl, TEMPLATE_MODELS.chat),
    };
    return new CorpusRunner(model, endpoints);
  }

  /** The scripted reply of the run whose document the prompt is about (its path is the last one the prompt names). */
  private answer(request: RecordedRequest): Reply {
    const serials = [...JSON.stringify(request.body ?? '').matchAll(/(?:fim|chat)-(\d+)\//g)];
    const entry = this.scripted.get(Number(serials[serials.length - 1]?.[1]));
    if (!entry) {
      // Never expected: an empty answer rather than the server's chat greeting.
      return { kind: 'json', text: '' };
    }
    entry.called = true;
    return entry.reply;
  }

  async close(): Promise<void> {
    for (const { client, server } of Object.values(this.endpoints)) {
      client.dispose();
      server.dispose();
    }
    await this.model.close();
  }

  /**
   * Runs one case with one template; with `eol: '\r\n'` the document (and
   * so the expected text) has CRLF line breaks, as on Windows.
   */
  async run(c: CorpusCase, template: TemplateKind, eol: '\n' | '\r\n' = '\n'): Promise<CaseRun> {
    const { client } = this.endpoints[template];
    const crlf = (doc: string): string => (eol === '\n' ? doc : doc.replace(/\n/g, eol));
    const { text, offset } = splitCursor(crlf(c.doc));
    const expected = c.after === null ? null : crlf(c.after);
    const serial = ++this.serial;
    const uri = `file:///corpus/${template}-${serial}/${encodeURIComponent(c.id)}.${EXTENSIONS[c.language] ?? 'txt'}`;
    const reply = replyFor(c, template);
    const scripted: Scripted = { reply: { kind: 'json', text: reply, finishReason: c.finishReason ?? 'stop' }, called: false };
    this.scripted.set(serial, scripted);
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: c.language, version: 1, text } });
    const position = positionAt(text, offset);
    const params: CorpusParams = {
      textDocument: { uri },
      position,
      context: {
        triggerKind: c.trigger === 'invoke' ? 1 : 2,
        ...(c.selected
          ? { selectedCompletionInfo: { range: { start: positionAt(text, offset - c.selected.replace.length), end: position }, text: c.selected.text } }
          : {}),
      },
      ...(c.formatting ? { formattingOptions: { tabSize: c.formatting.tabSize, insertSpaces: c.formatting.insertSpaces } } : {}),
    };
    try {
      const result = await client.sendRequest(InlineCompletionRequest.type, params);
      const item = (Array.isArray(result) ? result : (result?.items ?? []))[0];
      const shown = item && (!c.selected || extendsSelection(item, c.selected.text, positionAt(text, offset - c.selected.replace.length)));
      const got = item && shown ? applyItem(text, offset, item) : null;
      return { case: c, template, reply, got, expected, passed: got === expected, modelCalled: scripted.called, ...(item ? { item, shown: Boolean(shown) } : {}) };
    } finally {
      this.scripted.delete(serial);
      await client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    }
  }

  /** Runs every case with each of its templates, up to `concurrency` at a time; the runs in case order. */
  async runAll(cases: readonly CorpusCase[], eol: '\n' | '\r\n' = '\n', concurrency = DEFAULT_CONCURRENCY): Promise<CaseRun[]> {
    const jobs = cases.flatMap((c) => templatesOf(c).map((template) => ({ c, template })));
    const runs: CaseRun[] = new Array<CaseRun>(jobs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let index = next++; index < jobs.length; index = next++) {
        const job = jobs[index];
        if (job) {
          runs[index] = await this.run(job.c, job.template, eol);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    // What the model server recorded is not needed afterwards.
    this.model.reset();
    return runs;
  }
}

/**
 * VS Code shows an inline item while a suggest-widget item is selected only
 * if it "extends the text of the selected item and uses the same range":
 * its range starts where the selected item's does and its text starts with it.
 */
export function extendsSelection(item: InlineCompletionItem, selected: string, start: Position): boolean {
  const insert = typeof item.insertText === 'string' ? item.insertText : item.insertText.value;
  const from = item.range?.start;
  return from !== undefined && from.line === start.line && from.character === start.character && insert.startsWith(selected);
}

async function connect(baseUrl: string, completionModel: string): Promise<Endpoint> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  registerHandlers(server, { OPENAI_BASE_URL: baseUrl, TANDEM_COMPLETION_MODEL: completionModel });
  server.listen();
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.listen();
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: 'file:///corpus',
    capabilities: {},
    initializationOptions: { tandem: { completions: { debounceMs: 0 } } },
  });
  await client.sendNotification(InitializedNotification.type, {});
  return { server, client };
}

/** A failed run as readable text: the document, the reply, what was expected and what was got. */
export function describeRun(run: CaseRun): string {
  const show = (text: string | null): string => (text === null ? '  (no suggestion)' : indentBlock(visible(text)));
  const c = run.case;
  const lines = [
    `${c.id} [${c.class}, ${c.language}, ${run.template}]${c.note ? ` — ${c.note}` : ''}`,
    'doc:',
    indentBlock(visible(c.doc)),
    'reply:',
    indentBlock(visible(run.reply)),
    ...(c.selected ? [`selected: ${JSON.stringify(c.selected)}`] : []),
    ...(c.formatting ? [`formatting: ${JSON.stringify(c.formatting)}`] : []),
    'expected:',
    show(run.expected),
    'got:',
    show(run.got),
  ];
  if (run.item) {
    lines.push(`item: ${JSON.stringify({ insertText: run.item.insertText, range: run.item.range })}${run.shown ? '' : ' (not shown: it does not extend the selected suggest-widget item)'}`);
  }
  return lines.join('\n');
}

/** Tabs and trailing spaces made visible, so whitespace differences can be read. */
function visible(text: string): string {
  return text.replace(/\t/g, '→   ').replace(/ +$/gm, (spaces) => '·'.repeat(spaces.length));
}

function indentBlock(text: string): string {
  return text
    .split('\n')
    .map((line) => `  | ${line}`)
    .join('\n');
}
