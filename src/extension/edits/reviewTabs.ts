import * as vscode from 'vscode';
import { PROPOSAL_SCHEME } from './proposalUri';
import type { ReviewFile } from './review';

/** Resolves once `condition` holds (checked every few ms), or after `timeoutMs` regardless. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The proposal URI of the active tab, when it is a review diff (or a proposal document). */
export function activeDiffUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputTextDiff && input.modified.scheme === PROPOSAL_SCHEME) {
    return input.modified;
  }
  if (input instanceof vscode.TabInputText && input.uri.scheme === PROPOSAL_SCHEME) {
    return input.uri;
  }
  return undefined;
}

/** Closes the tabs that show this file's proposal; says whether one of them was the active editor. */
export async function closeDiff(file: ReviewFile): Promise<boolean> {
  const key = file.proposalUri.toString();
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tabUris(tab).some((uri) => uri.toString() === key));
  if (tabs.length === 0) {
    return false;
  }
  const wasActive = tabs.some((tab) => tab.isActive && tab.group.isActive);
  await vscode.window.tabGroups.close(tabs, true);
  return wasActive;
}

function tabUris(tab: vscode.Tab): vscode.Uri[] {
  const input = tab.input;
  if (input instanceof vscode.TabInputTextDiff) return [input.original, input.modified];
  if (input instanceof vscode.TabInputText) return [input.uri];
  return [];
}
