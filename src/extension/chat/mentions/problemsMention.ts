import * as vscode from 'vscode';
import type { ContextItem } from '../../../shared/protocol';
import type { MentionOption } from '../../../shared/webviewProtocol';
import type { MentionChoices, MentionProvider, ResolvedMention } from './types';
import { pathRefusal } from './workspacePaths';

const MAX_PER_FILE = 50;
const MAX_FILES = 40;
const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

/**
 * `@problems`: the diagnostics (Problems view) of the current file or of
 * the workspace, one item per file (so the boundary checks each file), with
 * the line each one is on.
 */
export class ProblemsMention implements MentionProvider {
  readonly kind = 'problems' as const;

  async options(): Promise<MentionChoices> {
    const options: MentionOption[] = [];
    const current = currentUri();
    if (current) {
      const count = vscode.languages.getDiagnostics(current).length;
      const path = vscode.workspace.asRelativePath(current, false);
      options.push({ value: 'file', label: `Current file: ${path.split('/').pop() ?? path}`, detail: plural(count, 'problem') });
    }
    const all = vscode.languages.getDiagnostics().filter(([, list]) => list.length > 0);
    options.push({ value: 'workspace', label: 'Workspace', detail: `${plural(all.reduce((sum, [, list]) => sum + list.length, 0), 'problem')} in ${plural(all.length, 'file')}` });
    return { options };
  }

  async resolve(value: string): Promise<ResolvedMention> {
    const current = currentUri();
    const scope = value === 'file' && current ? 'file' : 'workspace';
    const entries: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> = scope === 'file' && current ? [[current, vscode.languages.getDiagnostics(current)]] : vscode.languages.getDiagnostics();
    const items: ContextItem[] = [];
    let refused = 0;
    let total = 0;
    for (const [uri, diagnostics] of entries) {
      if (diagnostics.length === 0 || items.length >= MAX_FILES) continue;
      const path = vscode.workspace.asRelativePath(uri, false);
      if (pathRefusal(path, uri) !== undefined) {
        refused++;
        continue;
      }
      const lines = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
      const sorted = [...diagnostics].sort((a, b) => a.severity - b.severity || a.range.start.line - b.range.start.line).slice(0, MAX_PER_FILE);
      total += sorted.length;
      items.push({ kind: 'problems', path, text: sorted.map((diagnostic) => describe(diagnostic, lines)).join('\n') });
    }
    const label = scope === 'file' && current ? `problems: ${vscode.workspace.asRelativePath(current, false).split('/').pop() ?? ''}` : 'problems: workspace';
    const notes = refused > 0 ? [`problems of ${plural(refused, 'file')} not sent: secret or ignored`] : [];
    return {
      chip: { kind: 'problems', label, detail: `${plural(total, 'problem')} in ${plural(items.length, 'file')}`, ...(notes.length ? { notes } : {}) },
      items: items.length > 0 ? items : [{ kind: 'problems', path: scope === 'file' && current ? vscode.workspace.asRelativePath(current, false) : '@problems', text: 'No problems reported.' }],
    };
  }
}

function currentUri(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri && uri.scheme !== 'output' ? uri : undefined;
}

function describe(diagnostic: vscode.Diagnostic, document: vscode.TextDocument | undefined): string {
  const line = diagnostic.range.start.line;
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  const source = [diagnostic.source, code].filter((part) => part !== undefined && part !== '').join(' ');
  const head = `line ${line + 1}: ${SEVERITY[diagnostic.severity] ?? 'problem'}${source ? ` (${source})` : ''}: ${diagnostic.message}`;
  const text = document && line < document.lineCount ? document.lineAt(line).text.trim() : '';
  return text ? `${head}\n    ${text.slice(0, 200)}` : head;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
