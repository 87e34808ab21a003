import * as vscode from 'vscode';
import { errorMessage } from '../../shared/guards';
import type { ChatResult, CommitFileDiff } from '../../shared/protocol';
import { offLimitsReason } from '../offLimits';
import { cleanMessage } from './commitText';
import type { ServiceClient } from '../serviceClient';

/** The slice of the git extension's API (vscode.git, API version 1) this uses. */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: { value: string };
  readonly state: { readonly indexChanges: ReadonlyArray<{ readonly uri: vscode.Uri }> };
  diffIndexWithHEAD(path: string): Promise<string>;
  log(options?: { maxEntries?: number }): Promise<ReadonlyArray<{ readonly message: string }>>;
}

interface GitApi {
  readonly repositories: readonly GitRepository[];
}

const RECENT_COMMITS = 20;
const MAX_DIFF_CHARS = 100_000;

/** The message being written, per repository: pressing the button again stops it. */
const running = new Map<string, vscode.CancellationTokenSource>();

/**
 * Tandem: Write Commit Message (the sparkle in the Source Control title):
 * the staged diff to the service, the message streamed into the input box.
 * Secret and ignored files are not sent (named afterwards); the service
 * refuses them again and redacts the rest. Cancel restores what was typed.
 */
export async function writeCommitMessage(service: Pick<ServiceClient, 'commitMessage'>, log: vscode.LogOutputChannel, scm?: unknown): Promise<ChatResult | undefined> {
  const git = await gitApi();
  const repository = git && pickRepository(git, scm);
  if (!repository) {
    void vscode.window.showInformationMessage('Tandem: no Git repository is open (or the Git extension is off).');
    return undefined;
  }
  const key = repository.rootUri.toString();
  const busy = running.get(key);
  if (busy) {
    busy.cancel();
    return undefined;
  }
  const staged = repository.state.indexChanges;
  if (staged.length === 0) {
    void vscode.window.showInformationMessage('Tandem: nothing is staged. Stage the changes the message should describe.');
    return undefined;
  }
  const files: CommitFileDiff[] = [];
  const withheld: string[] = [];
  for (const { uri } of staged) {
    const path = vscode.workspace.asRelativePath(uri, false);
    if (offLimitsReason(uri) !== undefined) {
      withheld.push(path);
      continue;
    }
    try {
      const diff = await repository.diffIndexWithHEAD(uri.fsPath);
      files.push({ path, diff: diff.length > MAX_DIFF_CHARS ? `${diff.slice(0, MAX_DIFF_CHARS)}\n[... diff cut by Tandem]` : diff });
    } catch (error) {
      log.warn(`Staged diff of ${path}: ${errorMessage(error)}`);
    }
  }
  const recentSubjects = await repository.log({ maxEntries: RECENT_COMMITS }).then(
    (commits) => commits.map((commit) => commit.message.split('\n')[0] ?? ''),
    () => [],
  );
  const before = repository.inputBox.value;
  const cancel = new vscode.CancellationTokenSource();
  running.set(key, cancel);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Tandem: writing a commit message', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => cancel.cancel());
        let text = '';
        repository.inputBox.value = '';
        const result = await service.commitMessage({ streamId: `commit-${Date.now().toString(36)}`, files, recentSubjects }, cancel.token, {
          onDelta: (delta) => {
            text += delta;
            repository.inputBox.value = cleanMessage(text);
          },
          onNotice: (notice) => progress.report({ message: notice.message }),
        });
        if (cancel.token.isCancellationRequested || result.finishReason === 'cancelled') {
          repository.inputBox.value = before;
          return result;
        }
        if (result.error) {
          repository.inputBox.value = before;
          void vscode.window.showErrorMessage(`Tandem could not write a commit message: ${result.error.message}`);
          return result;
        }
        repository.inputBox.value = cleanMessage(result.text);
        const notSent = [...withheld, ...(result.boundary?.refused.map((item) => item.item) ?? [])];
        if (notSent.length > 0) {
          void vscode.window.showInformationMessage(`Tandem: not sent to the model (secret or ignored): ${[...new Set(notSent)].join(', ')}. The message may not mention them.`);
        }
        return result;
      },
    );
  } finally {
    running.delete(key);
    cancel.dispose();
  }
}

async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
  if (!extension) return undefined;
  try {
    const exports = extension.isActive ? extension.exports : await extension.activate();
    return exports.getAPI(1);
  } catch {
    return undefined;
  }
}

/** The repository whose Source Control title was clicked, else the active file's, else the first. */
function pickRepository(git: GitApi, scm: unknown): GitRepository | undefined {
  const root = (scm as { rootUri?: unknown } | undefined)?.rootUri;
  if (root instanceof vscode.Uri) return git.repositories.find((repository) => repository.rootUri.toString() === root.toString());
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  return git.repositories.find((repository) => active?.startsWith(`${repository.rootUri.toString()}/`)) ?? git.repositories[0];
}
