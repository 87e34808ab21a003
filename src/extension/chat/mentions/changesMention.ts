import * as vscode from 'vscode';
import type { ContextItem } from '../../../shared/protocol';
import { cap, type MentionProvider, type ResolvedMention } from './types';
import { pathRefusal } from './workspacePaths';

/** The part of VS Code's git extension API (`vscode.git`, `getAPI(1)`) used here. */
interface GitChange {
  readonly uri: vscode.Uri;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly workingTreeChanges: readonly GitChange[]; readonly indexChanges: readonly GitChange[]; readonly untrackedChanges?: readonly GitChange[] };
  diffWithHEAD(path: string): Promise<string>;
}
interface GitApi {
  readonly repositories: readonly GitRepository[];
}
interface GitExtension {
  getAPI(version: 1): GitApi;
}

const MAX_FILES = 60;
const NO_REPOSITORY = 'there is no git repository in this workspace (or the Git extension is off)';

/** The git API when the Git extension is there and enabled. */
export async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return undefined;
  try {
    const exports = extension.isActive ? extension.exports : await extension.activate();
    return exports.getAPI(1);
  } catch {
    return undefined;
  }
}

/**
 * `@changes`: the working tree's diff against HEAD (staged and unstaged),
 * one item per file so the boundary checks each file; secret and ignored
 * files are left out and counted on the chip.
 */
export class ChangesMention implements MentionProvider {
  readonly kind = 'changes' as const;

  async resolve(): Promise<ResolvedMention> {
    const api = await gitApi();
    const repositories = api?.repositories ?? [];
    if (repositories.length === 0) return { chip: { kind: 'changes', label: 'changes', detail: 'Working tree changes', excluded: NO_REPOSITORY }, items: [] };
    const items: ContextItem[] = [];
    let refused = 0;
    let more = 0;
    for (const repository of repositories) {
      const seen = new Set<string>();
      const changes = [...repository.state.indexChanges, ...repository.state.workingTreeChanges, ...(repository.state.untrackedChanges ?? [])];
      for (const change of changes) {
        const key = change.uri.toString();
        if (seen.has(key)) continue;
        seen.add(key);
        const path = vscode.workspace.asRelativePath(change.uri, false);
        if (pathRefusal(path, change.uri) !== undefined) {
          refused++;
          continue;
        }
        if (items.length >= MAX_FILES) {
          more++;
          continue;
        }
        const diff = await diffOf(repository, change.uri);
        if (diff) items.push({ kind: 'changes', path, languageId: 'diff', text: cap(diff) });
      }
    }
    const notes = [
      ...(refused > 0 ? [`${refused} changed file${refused === 1 ? '' : 's'} not sent: secret or ignored`] : []),
      ...(more > 0 ? [`${more} more changed file${more === 1 ? '' : 's'} left out`] : []),
    ];
    if (items.length === 0) {
      return { chip: { kind: 'changes', label: 'changes', detail: 'Working tree changes', ...(notes.length ? { notes } : {}) }, items: [{ kind: 'changes', path: '@changes', text: 'No changes in the working tree.' }] };
    }
    return { chip: { kind: 'changes', label: 'changes', detail: `Working tree changes: ${items.length} file${items.length === 1 ? '' : 's'}`, ...(notes.length ? { notes } : {}) }, items };
  }
}

async function diffOf(repository: GitRepository, uri: vscode.Uri): Promise<string | undefined> {
  try {
    const diff = await repository.diffWithHEAD(uri.fsPath);
    if (diff.trim()) return diff;
  } catch {
    // An untracked file has no HEAD version: sent whole, as added.
  }
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.subarray(0, 8000).includes(0)) return undefined;
    const text = new TextDecoder('utf-8').decode(bytes);
    return `new file\n${text.split('\n').map((line) => `+${line}`).join('\n')}`;
  } catch {
    return undefined; // Deleted: the diff above had it, or there is nothing to show.
  }
}
