import * as vscode from 'vscode';
import { MAX_MENTION_QUERY, type MentionOption } from '../../../shared/webviewProtocol';
import type { MentionKind } from '../../../shared/vocabulary';
import { ChangesMention } from './changesMention';
import { CodebaseMention, type CodebaseSearch } from './codebaseMention';
import { FileMention } from './fileMention';
import { FolderMention } from './folderMention';
import { McpMention, type McpContextSource } from './mcpMention';
import { ProblemsMention } from './problemsMention';
import { SymbolMention } from './symbolMention';
import { TerminalMention } from './terminalMention';
import type { MentionChoices, MentionProvider, ResolvedMention } from './types';
import { WorkspacePaths } from './workspacePaths';

/**
 * The `@` kinds of the chat input: answers the picker's queries and turns a
 * pick into context. One provider per kind, each in its own file.
 */
export class MentionService implements vscode.Disposable {
  private readonly providers: ReadonlyMap<MentionKind, MentionProvider>;
  private readonly terminal = new TerminalMention();
  private readonly codebase: CodebaseMention;
  private codebaseSearch: CodebaseSearch | undefined;
  private mcpSource: McpContextSource | undefined;
  /** The picker's last query, cancelled when the next one arrives. */
  private query: vscode.CancellationTokenSource | undefined;

  constructor() {
    const paths = new WorkspacePaths();
    this.codebase = new CodebaseMention(() => this.codebaseSearch);
    const all: MentionProvider[] = [new FileMention(paths), new FolderMention(paths), new SymbolMention(), new ProblemsMention(), new ChangesMention(), this.terminal, this.codebase, new McpMention(() => this.mcpSource)];
    this.providers = new Map(all.map((provider) => [provider.kind, provider]));
  }

  /** Wires `@codebase` to the workspace index (the service's `tandem/searchCodebase`). */
  setCodebaseSearch(search: CodebaseSearch | undefined): void {
    this.codebaseSearch = search;
  }

  /** Wires `@mcp` to the MCP servers' resources and prompts. */
  setMcpSource(source: McpContextSource | undefined): void {
    this.mcpSource = source;
  }

  /** Kinds shown in the picker as coming: they cannot attach anything yet. */
  unavailable(): MentionKind[] {
    return this.codebase.available ? [] : ['codebase'];
  }

  /** Whether picking `kind` needs a second choice (a file, a folder, a symbol, which problems). */
  hasOptions(kind: MentionKind): boolean {
    return this.providers.get(kind)?.options !== undefined;
  }

  async options(kind: MentionKind, query: string): Promise<MentionChoices> {
    this.query?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.query = source;
    const provider = this.providers.get(kind);
    if (!provider?.options) return { options: [] };
    try {
      const choices = await provider.options(query.slice(0, MAX_MENTION_QUERY), source.token);
      return source.token.isCancellationRequested ? { options: [] } : choices;
    } finally {
      source.dispose();
      if (this.query === source) this.query = undefined;
    }
  }

  /** Whether `kind` is resolved with the question when it is sent. */
  atSend(kind: MentionKind): boolean {
    return this.providers.get(kind)?.resolveAtSend === true;
  }

  resolve(kind: MentionKind, value: string, question = ''): Promise<ResolvedMention> {
    const provider = this.providers.get(kind);
    if (!provider) return Promise.resolve({ chip: { kind, label: kind, detail: kind, excluded: 'unknown mention' }, items: [] });
    return provider.resolve(value, question);
  }

  dispose(): void {
    this.query?.cancel();
    this.terminal.dispose();
  }
}

export type { MentionOption };
