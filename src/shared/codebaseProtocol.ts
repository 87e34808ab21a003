/**
 * Codebase retrieval between a client and the model service: the service
 * keeps a local lexical index of the workspace folders (never secret,
 * ignored or out-of-workspace files) and answers questions with the chunks
 * that fit best. Any LSP client can ask (`tandem/searchCodebase`); the
 * extension's `@codebase` mention and the agent's `search_codebase` tool use
 * the same search. Declared once here, imported by both sides, documented in
 * docs/protocol.md ("Codebase retrieval") and docs/codebase.md.
 */
import { RequestType } from 'vscode-languageserver-protocol';

export interface SearchCodebaseParams {
  /** What to look for, in words or identifiers ("where are retries backed off", "parseConfig"). */
  query: string;
  /** At most this many results (default 10, at most 50). */
  limit?: number;
  /**
   * Only files under these workspace-relative folders or files, or matching
   * these globs (`src/**​/*.ts`); default: everything indexed.
   */
  paths?: string[];
  /** Include each chunk's text (default true); a snippet is read from disk through the workspace boundary. */
  snippets?: boolean;
}

export interface CodebaseResult {
  /** Relative to its workspace folder, '/'-separated. */
  path: string;
  /** The file as a `file:` URI (several workspace folders can hold the same relative path). */
  uri: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The ranking's score (higher is better; comparable within one answer only). */
  score: number;
  /** The declaration the chunk holds (`Runner.prototype.run`, `parseConfig`), when it has one. */
  symbol?: string;
  /** The chunk's text as it is on disk now (capped), when asked for. */
  snippet?: string;
}

/** The index's state: `building` answers from what is indexed so far. */
export type CodebaseIndexPhase = 'idle' | 'building' | 'ready' | 'failed';

export interface CodebaseIndexState {
  state: CodebaseIndexPhase;
  /** Files and chunks indexed (over all workspace folders). */
  files: number;
  chunks: number;
  /** While building: files indexed so far of the files found. */
  progress?: { done: number; total: number };
  /** Why the last build failed, or what it left out (too many files). */
  message?: string;
  /** How searches rank now: `hybrid` once `tandem.codebase.embeddings` is on and chunks have vectors; absent: lexical. */
  ranking?: 'lexical' | 'hybrid';
  /** Why ranking fell back to lexical although embeddings are on (the endpoint has no /v1/embeddings, a rate limit…). */
  embeddings?: string;
}

export interface SearchCodebaseResult {
  results: CodebaseResult[];
  indexState: CodebaseIndexState;
}

/** Client → service: the chunks of the workspace that best answer `query`. */
export namespace SearchCodebaseRequest {
  export const method = 'tandem/searchCodebase';
  export const type = new RequestType<SearchCodebaseParams, SearchCodebaseResult, void>(method);
}

/** Default and largest `limit`. */
export const CODEBASE_DEFAULT_LIMIT = 10;
export const CODEBASE_MAX_LIMIT = 50;
