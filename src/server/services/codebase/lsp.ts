/**
 * Codebase retrieval over LSP (docs/protocol.md, "Codebase retrieval"):
 * `tandem/searchCodebase` (cancellable), the index's progress as standard
 * work-done progress (`window/workDoneProgress`: VS Code shows it in the
 * status bar; other editors as they show progress), file events from
 * `workspace/didChangeWatchedFiles` (the service asks the client to watch
 * every file when it can register watchers itself), and the storage folder
 * from `initializationOptions.codebaseStorage`. The index itself runs in a
 * worker thread (indexThread.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ResponseError,
  type Connection,
  type InitializeParams,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { CODEBASE_MAX_LIMIT, SearchCodebaseRequest, type CodebaseIndexState, type SearchCodebaseParams, type SearchCodebaseResult } from '../../../shared/codebaseProtocol';
import { errorMessage, isRecord } from '../../../shared/guards';
import type { Foreground } from '../../util/foreground';
import { CodebaseIndex, type CodebaseService } from './codebaseIndex';
import type { IndexEmbedder } from './embedder';
import { pathFilter } from './folderIndex';
import { startIndexThread } from './indexThread';

export interface CodebaseLspDeps {
  log: { info(message: string): void; warn(message: string): void };
  /** Hybrid ranking (tandem.codebase.embeddings); absent: lexical only. */
  embedder?: IndexEmbedder;
  embeddingsModel?: () => string;
  /** Inline completions in flight: the index gives way to them. */
  foreground?: Foreground;
}

export interface CodebaseFeature {
  readonly index: CodebaseService;
  /** Reads the storage folder and what the client can do (from `initialize`). */
  initialize(params: InitializeParams): void;
  /** Starts watching and indexing the workspace folders (paths or `file:` URIs). */
  start(folders: readonly string[]): void;
  /** The workspace folders now (after `workspace/didChangeWorkspaceFolders`): added ones are indexed, removed ones dropped. */
  setFolders(folders: readonly string[]): void;
  /** An open document's text (didOpen, didChange; `file:` URIs only): indexed in place of the disk. */
  bufferChanged(uri: string, text: string): void;
  /** A document was closed (didClose): its file is indexed from the disk again. */
  bufferClosed(uri: string): void;
  dispose(): Promise<void>;
}

const MAX_QUERY_CHARS = 2_000;
const MAX_PATHS = 50;

export function registerCodebase(connection: Connection, deps: CodebaseLspDeps): CodebaseFeature {
  let canShowProgress = false;
  let canWatch = false;
  let reporter: Promise<WorkDoneProgressServerReporter | undefined> | undefined;
  let lastPercent = -1;

  const onState = (state: CodebaseIndexState): void => {
    if (!canShowProgress) return;
    if (state.state === 'building') {
      reporter ??= connection.window.createWorkDoneProgress().then(
        (created) => {
          created.begin('Tandem: indexing the codebase', 0, undefined, false);
          return created;
        },
        () => undefined,
      );
      const { done, total } = state.progress ?? { done: 0, total: 0 };
      const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
      if (percent === lastPercent) return;
      lastPercent = percent;
      void reporter.then((created) => created?.report(percent, total > 0 ? `${done}/${total} files` : 'finding files'));
      return;
    }
    const finished = reporter;
    reporter = undefined;
    lastPercent = -1;
    void finished?.then((created) => created?.done());
  };

  const options = {
    onState,
    onLog: (message: string) => deps.log.warn(message),
    ...(deps.embedder ? { embedder: deps.embedder } : {}),
    ...(deps.embeddingsModel ? { embeddingsModel: deps.embeddingsModel } : {}),
  };
  // In a worker thread (its work and memory away from completions); in this thread, giving way to them, when its script is missing.
  const index: CodebaseService = startIndexThread(options) ?? new CodebaseIndex({ ...options, ...(deps.foreground ? { foreground: deps.foreground } : {}) });

  connection.onRequest(SearchCodebaseRequest.type, async (raw: unknown, token): Promise<SearchCodebaseResult | ResponseError> => {
    const parsed = parseSearchParams(raw);
    if (typeof parsed === 'string') return new ResponseError(ErrorCodes.InvalidParams, `Invalid ${SearchCodebaseRequest.method} params: ${parsed}`);
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    try {
      return await index.search(parsed, { signal: controller.signal });
    } finally {
      listener.dispose();
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const file = toPath(change.uri);
      if (file) index.fileChanged(file);
    }
  });

  return {
    index,
    initialize(params) {
      canShowProgress = params.capabilities.window?.workDoneProgress === true;
      canWatch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      const init: unknown = params.initializationOptions;
      const storage = isRecord(init) && typeof init.codebaseStorage === 'string' && path.isAbsolute(init.codebaseStorage) ? init.codebaseStorage : undefined;
      index.setStorage(storage);
    },
    start(folders) {
      if (canWatch) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).catch((error: unknown) => deps.log.warn(`Codebase index: could not watch files: ${String(error)}`));
      }
      void index.setRoots(folders.flatMap((folder) => toPath(folder) ?? []));
    },
    setFolders(folders) {
      void index.setRoots(folders.flatMap((folder) => toPath(folder) ?? []));
    },
    bufferChanged(uri, text) {
      const file = uri.startsWith('file:') ? toPath(uri) : undefined;
      if (file) index.bufferChanged(file, text);
    },
    bufferClosed(uri) {
      const file = uri.startsWith('file:') ? toPath(uri) : undefined;
      if (file) index.bufferClosed(file);
    },
    dispose: () => index.dispose(),
  };
}

/** The params as the service accepts them, or what is wrong with them. */
export function parseSearchParams(raw: unknown): SearchCodebaseParams | string {
  if (!isRecord(raw)) return 'expected an object';
  const { query, limit, paths, snippets } = raw;
  if (typeof query !== 'string' || query.trim() === '') return '"query" must be a non-empty string';
  if (query.length > MAX_QUERY_CHARS) return `"query" is longer than ${MAX_QUERY_CHARS} characters`;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > CODEBASE_MAX_LIMIT)) return `"limit" must be an integer from 1 to ${CODEBASE_MAX_LIMIT}`;
  if (paths !== undefined && (!Array.isArray(paths) || paths.length > MAX_PATHS || !paths.every((entry) => typeof entry === 'string' && entry.length <= 1_000))) return `"paths" must be at most ${MAX_PATHS} strings`;
  if (snippets !== undefined && typeof snippets !== 'boolean') return '"snippets" must be a boolean';
  try {
    pathFilter(paths as string[] | undefined);
  } catch (error) {
    return `"paths": ${errorMessage(error)}`;
  }
  return { query, ...(limit !== undefined ? { limit } : {}), ...(paths !== undefined ? { paths: paths as string[] } : {}), ...(snippets !== undefined ? { snippets } : {}) };
}

function toPath(location: string): string | undefined {
  if (location.startsWith('file:')) {
    try {
      return fileURLToPath(location);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(location) ? location : undefined;
}
