import * as vscode from 'vscode';
import { rankByQuery } from '../../../shared/mentions';
import { MAX_MENTION_OPTIONS } from '../../../shared/webviewProtocol';
import { baseName, cap, type MentionChoices, type MentionProvider, type ResolvedMention } from './types';
import { pathRefusal, readText, workspaceUri, type WorkspacePaths } from './workspacePaths';

/** `@file`: any workspace file, ranked by a fuzzy match on its path. */
export class FileMention implements MentionProvider {
  readonly kind = 'file' as const;

  constructor(private readonly paths: WorkspacePaths) {}

  async options(query: string): Promise<MentionChoices> {
    const ranked = rankByQuery(query.replace(/\s+/g, ''), await this.paths.files(), (path) => path);
    const options = [];
    // Refusals are checked on the best matches only: the gate reads ignore files.
    for (const path of ranked) {
      const uri = workspaceUri(path);
      if (!uri || pathRefusal(path, uri) !== undefined) continue;
      options.push({ value: path, label: baseName(path), detail: path });
      if (options.length >= MAX_MENTION_OPTIONS) break;
    }
    return options.length > 0 ? { options } : { options, note: query ? `No workspace file matches “${query}”` : 'No files in this workspace' };
  }

  async resolve(path: string): Promise<ResolvedMention> {
    return resolveFile(path);
  }
}

/** A workspace file as a chip: refused (named, nothing read) when the data boundary says so. */
export async function resolveFile(path: string): Promise<ResolvedMention> {
  const label = baseName(path);
  const uri = workspaceUri(path);
  if (!uri) return { chip: { kind: 'file', label, detail: path, excluded: 'there is no workspace folder' }, items: [] };
  const refused = pathRefusal(path, uri);
  if (refused !== undefined) return { chip: { kind: 'file', label, detail: path, excluded: refused }, items: [] };
  const read = await readText(uri);
  if ('error' in read) return { chip: { kind: 'file', label, detail: path, excluded: read.error }, items: [] };
  const languageId = (await languageOf(uri)) ?? undefined;
  return {
    chip: { kind: 'file', label, detail: path },
    items: [{ kind: 'file', path, ...(languageId ? { languageId } : {}), text: cap(read.text) }],
  };
}

/** The language of an open document (closed files are not opened just for this). */
async function languageOf(uri: vscode.Uri): Promise<string | undefined> {
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString())?.languageId;
}
