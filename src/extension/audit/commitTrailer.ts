import * as vscode from 'vscode';
import { errorMessage } from '../../shared/guards';
import type { ServiceClient } from '../serviceClient';
import { fileProvenance } from './provenanceMatch';
import { commitTrailer, withTrailer } from './provenanceText';

/** The slice of the git extension's API (vscode.git, API version 1) this uses. */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: { value: string };
  readonly state: { readonly indexChanges: ReadonlyArray<{ readonly uri: vscode.Uri }> };
  show(ref: string, path: string): Promise<string>;
}

interface GitApi {
  readonly repositories: readonly GitRepository[];
}

/**
 * Tandem: Add AI Provenance to Commit Message. For the staged files that
 * hold lines Tandem wrote (as the audit trail and line provenance find
 * them), appends `AI-assisted: Tandem (<models>; <n> changes; audit <hash>…)`
 * to the Source Control message box. Nothing is committed: the person
 * reads, edits and commits the message.
 */
export async function addProvenanceTrailer(service: Pick<ServiceClient, 'auditProvenance'>, log: vscode.LogOutputChannel, scm?: unknown): Promise<string | undefined> {
  const git = await gitApi();
  if (!git) {
    void vscode.window.showInformationMessage('Tandem: the Git extension is not available.');
    return undefined;
  }
  const repository = pickRepository(git, scm);
  if (!repository) {
    void vscode.window.showInformationMessage('Tandem: no Git repository is open.');
    return undefined;
  }
  const staged = repository.state.indexChanges;
  if (staged.length === 0) {
    void vscode.window.showInformationMessage('Tandem: nothing is staged.');
    return undefined;
  }
  const models: string[] = [];
  const proposals = new Set<string>();
  let anchor: string | undefined;
  for (const { uri } of staged) {
    const path = vscode.workspace.asRelativePath(uri, false);
    try {
      const result = await service.auditProvenance(path);
      if (result.changes.length === 0) continue;
      const provenance = fileProvenance(await stagedText(repository, uri), result);
      for (const run of provenance.runs) {
        proposals.add(run.change.proposal);
        if (run.change.model) models.push(run.change.model);
      }
      if (provenance.runs.length > 0) anchor = result.anchor ?? anchor;
    } catch (error) {
      log.warn(`Provenance of staged ${path}: ${errorMessage(error)}`);
    }
  }
  if (proposals.size === 0) {
    void vscode.window.showInformationMessage('Tandem: no staged line comes from a change Tandem applied.');
    return undefined;
  }
  const trailer = commitTrailer({ models, changes: proposals.size, ...(anchor ? { anchor } : {}) });
  repository.inputBox.value = withTrailer(repository.inputBox.value, trailer);
  return trailer;
}

async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
  if (!extension) return undefined;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  return exports.getAPI(1);
}

/** The repository the Source Control title button belongs to, else the active file's, else the only one. */
function pickRepository(git: GitApi, scm: unknown): GitRepository | undefined {
  const rootOf = (value: unknown): string | undefined => {
    const root = (value as { rootUri?: unknown } | undefined)?.rootUri;
    return root instanceof vscode.Uri ? root.toString() : undefined;
  };
  const wanted = rootOf(scm);
  if (wanted) return git.repositories.find((repository) => repository.rootUri.toString() === wanted);
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  return git.repositories.find((repository) => active?.startsWith(`${repository.rootUri.toString()}/`)) ?? git.repositories[0];
}

/** The file as staged (the index), else as it is on disk. */
async function stagedText(repository: GitRepository, uri: vscode.Uri): Promise<string> {
  try {
    return await repository.show('', uri.fsPath);
  } catch {
    return (await vscode.workspace.openTextDocument(uri)).getText();
  }
}
