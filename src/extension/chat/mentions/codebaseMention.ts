import type { MentionProvider, ResolvedMention } from './types';
import { cap } from './types';

/** A passage the codebase index found (the service's `tandem/searchCodebase`). */
export interface CodebaseHit {
  path: string;
  startLine: number;
  endLine: number;
  text: string;
  languageId?: string;
}

/** Searches the workspace index; wired to the service's retrieval request where it exists. */
export interface CodebaseSearch {
  search(query: string, limit: number): Promise<CodebaseHit[]>;
}

const HITS = 8;

/**
 * `@codebase`: the passages of the workspace that best match the question,
 * searched when the question is sent (the chip says so until then). Unavailable
 * (shown as coming in the picker) until a search is wired.
 */
export class CodebaseMention implements MentionProvider {
  readonly kind = 'codebase' as const;
  readonly resolveAtSend = true;

  constructor(private readonly searcher: () => CodebaseSearch | undefined) {}

  get available(): boolean {
    return this.searcher() !== undefined;
  }

  async resolve(_value: string, question: string): Promise<ResolvedMention> {
    const search = this.searcher();
    if (!search) return { chip: { kind: 'codebase', label: 'codebase', detail: 'Codebase search', excluded: 'codebase search is not available yet' }, items: [] };
    if (!question.trim()) return { chip: { kind: 'codebase', label: 'codebase', detail: 'Relevant code, searched with the question when it is sent' }, items: [] };
    let hits: CodebaseHit[];
    try {
      hits = await search.search(question, HITS);
    } catch (error) {
      return { chip: { kind: 'codebase', label: 'codebase', detail: 'Codebase search', excluded: `the search failed (${error instanceof Error ? error.message : String(error)})` }, items: [] };
    }
    return {
      chip: { kind: 'codebase', label: 'codebase', detail: `${hits.length} passage${hits.length === 1 ? '' : 's'}: ${[...new Set(hits.map((hit) => hit.path))].join(', ')}` },
      items: hits.map((hit) => ({ kind: 'codebase', path: hit.path, startLine: hit.startLine, endLine: hit.endLine, text: cap(hit.text, 20_000), ...(hit.languageId ? { languageId: hit.languageId } : {}) })),
    };
  }
}
