import * as vscode from 'vscode';
import { offLimitsReason } from '../../offLimits';

/** How many workspace files the pickers rank (the nearest ones a fuzzy query matches are among them). */
const MAX_FILES = 5_000;
/** A listing is reused this long: typing a query asks again on every key. */
const LISTING_TTL_MS = 10_000;

/**
 * Workspace files for the `@file` and `@folder` pickers, relative to their
 * folder, found with `workspace.findFiles` (files.exclude and search.exclude
 * apply) and without what the data boundary refuses (secrets, ignored files).
 */
export class WorkspacePaths {
  private listing: { at: number; paths: Promise<string[]> } | undefined;

  files(): Promise<string[]> {
    const now = Date.now();
    if (!this.listing || now - this.listing.at > LISTING_TTL_MS) {
      const paths = vscode.workspace.findFiles('**/*', undefined, MAX_FILES).then((uris) =>
        uris.map((uri) => vscode.workspace.asRelativePath(uri, false)).sort(),
      );
      this.listing = { at: now, paths: Promise.resolve(paths) };
    }
    return this.listing.paths;
  }

  /** Folders that hold at least one listed file, shortest first. */
  async folders(): Promise<string[]> {
    const folders = new Set<string>();
    for (const file of await this.files()) {
      const parts = file.split('/');
      for (let depth = 1; depth < parts.length; depth++) folders.add(parts.slice(0, depth).join('/'));
    }
    return [...folders].sort();
  }
}

/** The URI of a workspace-relative path (in the first folder that has it; the first folder otherwise). */
export function workspaceUri(path: string): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) return undefined;
  // Multi-root: asRelativePath prefixes the folder's name.
  for (const folder of folders) {
    if (folders.length > 1 && (path === folder.name || path.startsWith(`${folder.name}/`))) {
      return vscode.Uri.joinPath(folder.uri, path.slice(folder.name.length + 1));
    }
  }
  const first = folders[0];
  return first ? vscode.Uri.joinPath(first.uri, path) : undefined;
}

/** Why a workspace path is not sent (secret, ignored, outside), or undefined. Also refuses `..` escapes from a hostile webview. */
export function pathRefusal(path: string, uri: vscode.Uri): string | undefined {
  if (path.split(/[\\/]/).includes('..')) return `${path} leads out of the workspace`;
  return offLimitsReason(uri);
}

/** A file's text, or why it is not text. */
export async function readText(uri: vscode.Uri): Promise<{ text: string } | { error: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    return { error: 'it could not be read' };
  }
  if (bytes.subarray(0, 8000).includes(0)) return { error: 'it is a binary file' };
  return { text: new TextDecoder('utf-8').decode(bytes) };
}
