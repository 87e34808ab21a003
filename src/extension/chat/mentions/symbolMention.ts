import * as vscode from 'vscode';
import { rankByQuery } from '../../../shared/mentions';
import { isRecord } from '../../../shared/guards';
import { MAX_MENTION_OPTIONS } from '../../../shared/webviewProtocol';
import { cap, type MentionChoices, type MentionProvider, type ResolvedMention } from './types';
import { pathRefusal, workspaceUri } from './workspacePaths';

/** Lines sent around a symbol whose provider reports only its name's position. */
const AROUND_LINES = 20;

interface SymbolRef {
  path: string;
  /** 0-based line of the symbol's name. */
  line: number;
  name: string;
}

/** `@symbol`: a class, function… from the workspace symbol providers, sent as its whole declaration. */
export class SymbolMention implements MentionProvider {
  readonly kind = 'symbol' as const;

  async options(query: string, token: vscode.CancellationToken): Promise<MentionChoices> {
    if (!query.trim()) return { options: [], note: 'Type a symbol name' };
    const found = (await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', query.trim())) ?? [];
    if (token.isCancellationRequested) return { options: [] };
    const options = [];
    for (const symbol of rankByQuery(query.trim(), found, (candidate) => candidate.name)) {
      const uri = symbol.location.uri;
      const path = vscode.workspace.asRelativePath(uri, false);
      if (uri.scheme !== 'file' || pathRefusal(path, uri) !== undefined) continue;
      const ref: SymbolRef = { path, line: symbol.location.range.start.line, name: symbol.name };
      options.push({ value: JSON.stringify(ref), label: symbol.name, detail: `${vscode.SymbolKind[symbol.kind] ?? 'Symbol'} · ${path}:${ref.line + 1}` });
      if (options.length >= MAX_MENTION_OPTIONS) break;
    }
    return options.length > 0 ? { options } : { options, note: `No symbol matches “${query}” (a language extension must be active for the file type)` };
  }

  async resolve(value: string): Promise<ResolvedMention> {
    const ref = parseRef(value);
    if (!ref) return { chip: { kind: 'symbol', label: 'symbol', detail: 'an unknown symbol', excluded: 'it could not be found' }, items: [] };
    const uri = workspaceUri(ref.path);
    const refused = uri ? pathRefusal(ref.path, uri) : 'there is no workspace folder';
    const label = ref.name;
    if (refused !== undefined || !uri) return { chip: { kind: 'symbol', label, detail: ref.path, excluded: refused ?? 'no workspace' }, items: [] };
    const document = await vscode.workspace.openTextDocument(uri);
    const range = (await declarationRange(uri, ref)) ?? new vscode.Range(Math.max(0, ref.line - AROUND_LINES), 0, Math.min(document.lineCount - 1, ref.line + AROUND_LINES), Number.MAX_SAFE_INTEGER);
    const full = document.validateRange(new vscode.Range(range.start.line, 0, range.end.line, Number.MAX_SAFE_INTEGER));
    const startLine = full.start.line + 1;
    const endLine = full.end.line + 1;
    return {
      chip: { kind: 'symbol', label, detail: `${ref.path}, lines ${startLine}-${endLine}` },
      items: [{ kind: 'symbol', path: ref.path, languageId: document.languageId, startLine, endLine, text: cap(document.getText(full)) }],
    };
  }
}

function parseRef(value: string): SymbolRef | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (isRecord(parsed) && typeof parsed.path === 'string' && typeof parsed.name === 'string' && Number.isSafeInteger(parsed.line) && (parsed.line as number) >= 0) {
      return { path: parsed.path, name: parsed.name, line: parsed.line as number };
    }
  } catch {
    // Not from our picker.
  }
  return undefined;
}

/** The whole declaration, from the document symbols (workspace symbols often locate only the name). */
async function declarationRange(uri: vscode.Uri, ref: SymbolRef): Promise<vscode.Range | undefined> {
  const symbols = (await vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined>('vscode.executeDocumentSymbolProvider', uri)) ?? [];
  const stack = [...symbols];
  while (stack.length > 0) {
    const symbol = stack.pop();
    if (!symbol) break;
    if ('children' in symbol) {
      if (symbol.name === ref.name && symbol.range.start.line <= ref.line && symbol.range.end.line >= ref.line) return symbol.range;
      stack.push(...symbol.children);
    } else if (symbol.name === ref.name && symbol.location.range.start.line <= ref.line && symbol.location.range.end.line >= ref.line && !symbol.location.range.isSingleLine) {
      return symbol.location.range;
    }
  }
  return undefined;
}
