/**
 * Inline completions over LSP: the documents (incremental sync), the standard
 * textDocument/inlineCompletion request, and the custom completion messages
 * (`tandem/completionEvent`, `tandem/completionStats`, `tandem/completionStatus`).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InlineCompletionItem,
  type InlineCompletionParams,
  type Position,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import {
  COMPLETION_ACCEPTED_COMMAND,
  CompletionEventNotification,
  CompletionStatsRequest,
  CompletionStatusNotification,
  type CompletionEventParams,
  type CompletionStatsResult,
  type TandemSettings,
} from '../../shared/protocol';
import { isRecord } from '../../shared/guards';
import { isCompletionEventKind } from '../../shared/vocabulary';
import type { ServiceLog } from '../log';
import type { AuditSink } from '../services/audit/trail';
import type { DataBoundary } from '../services/dataBoundary';
import { abortOnCancel } from '../util/abort';
import type { CallModel } from './backend';
import type { Foreground } from '../util/foreground';
import { CompletionEngine, type CompletionAnswer } from './engine';
import { withSelectedItem } from './rules/selection';

export const COMPLETION_CAPABILITIES: ServerCapabilities = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  inlineCompletionProvider: true,
};

export interface CompletionsDeps {
  settings(): Promise<TandemSettings>;
  log: ServiceLog;
  /** What may leave the machine: which documents are off-limits (secrets, ignored files, links out), the prompt's contents, the endpoint. */
  boundary?: DataBoundary;
  audit?: AuditSink;
  /** The model call (the wiring routes the built-in model's); default: the OpenAI-compatible HTTP provider. */
  callModel?: CallModel;
  /** Background work (the codebase index) gives way while a completion is in flight. */
  foreground?: Foreground;
}

export interface Completions {
  readonly capabilities: ServerCapabilities;
  readonly engine: CompletionEngine;
  /** The open documents (didOpen / didChange / didClose), for other features to follow too (the codebase index). */
  readonly documents: TextDocuments<TextDocument>;
  /** Takes the workspace folders from the initialize params. */
  initialize(params: InitializeParams): void;
  dispose(): void;
}

export function registerCompletions(connection: Connection, deps: CompletionsDeps): Completions {
  const documents = new TextDocuments(TextDocument);
  const engine = new CompletionEngine({
    log: deps.log,
    documents,
    ...(deps.audit ? { audit: deps.audit } : {}),
    ...(deps.callModel ? { callModel: deps.callModel } : {}),
    ...(deps.boundary ? { boundary: deps.boundary, excluded: (uri: string) => deps.boundary?.excluded(uri) } : {}),
    sendStatus: (status) => void connection.sendNotification(CompletionStatusNotification.type, status).catch(() => undefined),
  });
  documents.onDidOpen(({ document }) => engine.didOpen(document.uri));
  documents.onDidChangeContent(({ document }) => engine.didChange(document.uri));
  documents.onDidClose(({ document }) => engine.didClose(document.uri));
  documents.listen(connection);

  connection.languages.inlineCompletion.on(async (params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || token.isCancellationRequested) {
      return null;
    }
    const { controller, dispose } = abortOnCancel(token);
    const ended = deps.foreground?.begin();
    try {
      const settings = await deps.settings();
      const text = document.getText();
      const offset = document.offsetAt(params.position);
      const formatting = formattingOf(params);
      const answer = await engine.provide(
        { uri: document.uri, languageId: document.languageId, text, offset, triggerKind: params.context?.triggerKind === 1 ? 1 : 2, ...(formatting ? { formatting } : {}) },
        settings,
        controller.signal,
      );
      const item = answer ? toItem(answer, params, text, offset) : undefined;
      return item ? { items: [item] } : null;
    } finally {
      ended?.();
      dispose();
    }
  });

  connection.onNotification(CompletionEventNotification.type, (params: unknown) => {
    if (isCompletionEvent(params)) {
      engine.event(params);
    } else {
      deps.log.warn('Ignored a malformed tandem/completionEvent.');
    }
  });

  connection.onRequest(CompletionStatsRequest.type, (): CompletionStatsResult => ({ ...engine.snapshot(), memory: memoryNow() }));

  return {
    capabilities: COMPLETION_CAPABILITIES,
    engine,
    documents,
    initialize: (params) => {
      const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: lastSegment(params.rootUri) }] : []);
      engine.setWorkspace(
        folders.map((folder) => folder.uri),
        folders[0]?.name ?? '',
      );
    },
    dispose: () => engine.dispose(),
  };
}

/**
 * The LSP item: the suggestion over a range from the cursor to as much of its
 * line as the suggestion replaces. With an item selected in the suggest
 * widget, the range starts where that item's does and the text starts with
 * it — or there is no item.
 */
export function toItem(
  answer: CompletionAnswer,
  params: Pick<InlineCompletionParams, 'position'> & { context?: Pick<InlineCompletionParams['context'], 'selectedCompletionInfo'> },
  text: string,
  offset: number,
): InlineCompletionItem | undefined {
  let start: Position = params.position;
  let insertText = answer.insertText;
  const selected = params.context?.selectedCompletionInfo;
  if (selected) {
    const { range } = selected;
    // The selected item replaces a word ending at the cursor on the cursor's line; anything else is not shown.
    if (range.start.line !== start.line || range.end.line !== start.line || range.end.character !== start.character || range.start.character > start.character) {
      return undefined;
    }
    const replaced = text.slice(offset - (start.character - range.start.character), offset);
    const whole = withSelectedItem(insertText, { replaced, text: selected.text });
    if (whole === undefined) {
      return undefined;
    }
    insertText = whole;
    start = range.start;
  }
  let lineEnd = text.indexOf('\n', offset);
  lineEnd = lineEnd < 0 ? text.length : text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
  const replace = Math.max(0, Math.min(answer.replace, lineEnd - offset));
  const end: Position = { line: params.position.line, character: params.position.character + replace };
  return {
    insertText,
    range: { start, end },
    command: { title: 'Accepted', command: COMPLETION_ACCEPTED_COMMAND, arguments: [answer.id] },
  };
}

/** The editor's indentation, when the client sent Tandem's `formattingOptions` (see InlineCompletionFormatting). */
export function formattingOf(params: unknown): { tabSize: number; insertSpaces: boolean } | undefined {
  const options = isRecord(params) ? params.formattingOptions : undefined;
  if (!isRecord(options) || typeof options.tabSize !== 'number' || typeof options.insertSpaces !== 'boolean') {
    return undefined;
  }
  return { tabSize: options.tabSize, insertSpaces: options.insertSpaces };
}

function isCompletionEvent(value: unknown): value is CompletionEventParams {
  return isRecord(value) && typeof value.id === 'string' && isCompletionEventKind(value.kind);
}

function memoryNow(): NonNullable<CompletionStatsResult['memory']> {
  const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const usage = process.memoryUsage();
  return { rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed), peakRssMb: mb(process.resourceUsage().maxRSS * 1024) };
}

function lastSegment(uri: string): string {
  const parts = uri.split('/').filter(Boolean);
  return decodeURIComponent(parts[parts.length - 1] ?? '');
}
