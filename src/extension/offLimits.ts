import * as vscode from 'vscode';
import { WorkspaceGate } from '../shared/boundary/gate';

/**
 * The workspace boundary on the editor's side: whether a document may be
 * sent to a model at all (a secret, an ignored file, a link out of the
 * workspace may not). The service checks again; this lets the person hear
 * why before anything is attempted.
 */
let gate: WorkspaceGate | undefined;
let gateRoots = '';

export function offLimitsReason(uri: vscode.Uri): string | undefined {
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
  const key = roots.join('\n');
  if (!gate || key !== gateRoots) {
    gate = new WorkspaceGate();
    gate.setRoots(roots);
    gateRoots = key;
  }
  return uri.scheme === 'file' ? gate.excluded(uri.fsPath) : gate.excluded(`${uri.scheme}:${uri.path}`);
}

/** Says why `uri` is not sent (a warning), or returns false when it may be. */
export function refuseOffLimits(uri: vscode.Uri, what: string): boolean {
  const reason = offLimitsReason(uri);
  if (reason === undefined) return false;
  void vscode.window.showWarningMessage(`Tandem did not ${what}: ${reason}`);
  return true;
}
