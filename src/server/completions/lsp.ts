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
import { CompletionEngine, type CompletionAnswer } from './engine';

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
}

export interface Completions {
  readonly capabilities: ServerCapabilities;
  readonly engine: CompletionEngine;
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
    try {
      const settings = await deps.settings();
      const text = document.getText();
      const offset = document.offsetAt(params.position);
      const answer = await engine.provide(
        { uri: document.uri, languageId: document.languageId, text, offset, triggerKind: params.context?.triggerKind === 1 ? 1 : 2 },
        settings,
        controller.signal,
      );
      return answer ? { items: [toItem(answer, params, text, offset)] } : null;
    } finally {
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

/** The LSP item: inserted at the cursor, or replacing the rest of the line when the suggestion's first line ends with it. */
export function toItem(answer: CompletionAnswer, params: Pick<InlineCompletionParams, 'position'>, text: string, offset: number): InlineCompletionItem {
  const start: Position = params.position;
  let end = start;
  if (answer.replaceToLineEnd) {
    let lineEnd = text.indexOf('\n', offset);
    lineEnd = lineEnd < 0 ? text.length : text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    end = { line: start.line, character: start.character + (lineEnd - offset) };
  }
  return {
    insertText: answer.insertText,
    range: { start, end },
    command: { title: 'Accepted', command: COMPLETION_ACCEPTED_COMMAND, arguments: [answer.id] },
  };
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
