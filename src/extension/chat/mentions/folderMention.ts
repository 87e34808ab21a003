import { CHAT_BUDGET_TOKENS, estimateTokens, rankByQuery } from '../../../shared/mentions';
import type { ContextItem } from '../../../shared/protocol';
import { MAX_MENTION_OPTIONS } from '../../../shared/webviewProtocol';
import { baseName, cap, type MentionChoices, type MentionProvider, type ResolvedMention } from './types';
import { pathRefusal, readText, workspaceUri, type WorkspacePaths } from './workspacePaths';

/** A folder gets at most this share of the chat budget; the rest is for the question, history and other chips. */
const FOLDER_BUDGET_TOKENS = Math.floor(CHAT_BUDGET_TOKENS / 2);
const MAX_TREE_ENTRIES = 400;

/**
 * `@folder`: the folder's tree, then its files (smallest first, so more of
 * them fit) while they fit a share of the budget. What is left out, and
 * what the boundary refused, is named on the chip.
 */
export class FolderMention implements MentionProvider {
  readonly kind = 'folder' as const;

  constructor(private readonly paths: WorkspacePaths) {}

  async options(query: string): Promise<MentionChoices> {
    const options = rankByQuery(query.replace(/\s+/g, ''), await this.paths.folders(), (path) => path, MAX_MENTION_OPTIONS).map((path) => ({
      value: path,
      label: `${baseName(path)}/`,
      detail: path,
    }));
    return options.length > 0 ? { options } : { options, note: query ? `No folder matches “${query}”` : 'No folders in this workspace' };
  }

  async resolve(folder: string): Promise<ResolvedMention> {
    const label = `${baseName(folder)}/`;
    const uri = workspaceUri(folder);
    const refused = uri ? pathRefusal(folder, uri) : 'there is no workspace folder';
    if (refused !== undefined) return { chip: { kind: 'folder', label, detail: folder, excluded: refused }, items: [] };
    const prefix = `${folder.replace(/\/+$/, '')}/`;
    const files = (await this.paths.files()).filter((path) => path.startsWith(prefix));
    const sendable: Array<{ path: string; text: string }> = [];
    // Refused files are not even named in the tree (a secret's name can say enough).
    const listed: string[] = [];
    let secret = 0;
    for (const path of files) {
      const fileUri = workspaceUri(path);
      if (!fileUri || pathRefusal(path, fileUri) !== undefined) {
        secret++;
        continue;
      }
      listed.push(path);
      const read = await readText(fileUri);
      if ('text' in read) sendable.push({ path, text: cap(read.text) });
    }
    const tree = listed.slice(0, MAX_TREE_ENTRIES).map((path) => path.slice(prefix.length)).join('\n') + (listed.length > MAX_TREE_ENTRIES ? `\n… ${listed.length - MAX_TREE_ENTRIES} more` : '');
    let spent = estimateTokens(tree);
    const items: ContextItem[] = [{ kind: 'folder', path: folder, text: `Files under ${folder}/:\n${tree}` }];
    let left = 0;
    for (const file of [...sendable].sort((a, b) => a.text.length - b.text.length || a.path.localeCompare(b.path))) {
      const tokens = estimateTokens(file.text);
      if (spent + tokens > FOLDER_BUDGET_TOKENS) {
        left++;
        continue;
      }
      spent += tokens;
      items.push({ kind: 'file', path: file.path, text: file.text });
    }
    const notes = [
      ...(left > 0 ? [`${left} file${left === 1 ? '' : 's'} left out to stay within the budget (only the tree names them)`] : []),
      ...(secret > 0 ? [`${secret} file${secret === 1 ? '' : 's'} not sent: secret or ignored`] : []),
    ];
    return { chip: { kind: 'folder', label, detail: `${folder}: ${items.length - 1} of ${listed.length} files`, ...(notes.length ? { notes } : {}) }, items };
  }
}
