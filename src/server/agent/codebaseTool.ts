/**
 * The agent's `search_codebase` tool: the service's codebase index
 * (services/codebase) asked in words, answered with the best chunks as
 * `path:start-end (symbol)` and their numbered lines, as the agent sees the
 * files now (its own edits and the editor's unsaved buffers first). Every
 * hit is decided by the agent's boundary like a `read_file` of it: secret,
 * ignored and out-of-workspace files never show, and a `path` the agent may
 * not read is refused. The output is capped like every tool's.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodebaseSearch } from '../services/codebase/codebaseIndex';
import { MAX_TOOL_OUTPUT_CHARS, truncateMiddle } from './context';
import type { AgentWorkspace, ToolOutcome } from './workspace';

export const DEFAULT_CODEBASE_HITS = 8;
const MAX_CODEBASE_HITS = 20;
/** A chunk shows at most this many lines (the agent reads more with read_file). */
const MAX_HIT_LINES = 60;

export interface SearchCodebaseArgs {
  query: string;
  path?: string;
  limit?: number;
}

export async function searchCodebaseTool(ws: AgentWorkspace, index: CodebaseSearch | undefined, args: SearchCodebaseArgs, signal?: AbortSignal): Promise<ToolOutcome> {
  if (!index) {
    const message = 'The codebase index is not available here; use search_text or find_files.';
    return { ok: false, output: message, summary: 'no index' };
  }
  let prefix: string | undefined;
  if (args.path && args.path.trim() !== '' && args.path.trim() !== '.') {
    const decision = ws.decide(args.path, 'read');
    if (decision.action === 'refuse') return { ok: false, output: `Refused: ${decision.reason}`, summary: decision.reason, refused: true };
    prefix = decision.relative;
  }
  const limit = Math.max(1, Math.min(MAX_CODEBASE_HITS, Math.floor(args.limit ?? DEFAULT_CODEBASE_HITS)));
  // More than asked for: hits outside the agent's root or folder are dropped below.
  const answer = await index.search({ query: args.query, limit: Math.min(50, limit * 4), snippets: false }, { ...(signal ? { signal } : {}) });
  const blocks: string[] = [];
  for (const result of answer.results) {
    if (blocks.length >= limit) break;
    let relative: string;
    try {
      relative = path.relative(ws.root, fileURLToPath(result.uri)).split(path.sep).join('/');
    } catch {
      continue;
    }
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    if (prefix !== undefined && relative !== prefix && !relative.startsWith(`${prefix}/`)) continue;
    if (ws.decide(relative, 'read').action === 'refuse') continue;
    const text = ws.readText(relative);
    if (text === undefined) continue;
    const lines = text.split('\n');
    const start = Math.min(result.startLine, lines.length);
    const end = Math.min(result.endLine, lines.length, start + MAX_HIT_LINES - 1);
    const width = String(end).length;
    const body = lines
      .slice(start - 1, end)
      .map((line, i) => `${String(start + i).padStart(width)}\t${line}`)
      .join('\n');
    const more = end < result.endLine ? `\n[chunk continues to line ${result.endLine}; read_file for more]` : '';
    blocks.push(`${relative}:${start}-${end}${result.symbol ? ` (${result.symbol})` : ''}\n${body}${more}`);
  }
  const state = answer.indexState.state === 'building' ? `\n[the index is still being built (${answer.indexState.progress?.done ?? 0}/${answer.indexState.progress?.total ?? '?'} files): results may be incomplete]` : '';
  if (blocks.length === 0) return { ok: true, output: `No matches.${state}`, summary: '0 results' };
  const output = truncateMiddle(blocks.join('\n\n'), MAX_TOOL_OUTPUT_CHARS, 'ask for fewer results (limit) or a narrower path');
  return { ok: true, output: `${output}${state}`, summary: `${blocks.length} result${blocks.length === 1 ? '' : 's'}` };
}
