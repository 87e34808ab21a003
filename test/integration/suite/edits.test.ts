import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import type { ReviewHandle, ReviewSummary } from '../../../src/extension/edits/types';
import type { ChangeSet, FileChange } from '../../../src/shared/edits';
import { tandemApi, waitFor } from './helpers';

/**
 * Every file a test makes lives in its own folder, removed after it: a file
 * deleted and made again under the same name could meet the previous test's
 * document, still open and a version behind.
 */
let TMP = 'review-tmp-0';
let testCount = 0;

const BASE = [
  'export function one(): number {',
  '  return 1;',
  '}',
  '',
  'export function two(): number {',
  '  return 2;',
  '}',
  '',
  'export function three(): number {',
  '  return 3;',
  '}',
  '',
].join('\n');
/** Two separate changes: line 1 and line 9. */
const PROPOSED = BASE.replace('return 1;', 'return 10;').replace('return 3;', 'return 30;');

function folder(): vscode.Uri {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'the integration tests need the fixture workspace open');
  return first.uri;
}

function uriOf(path: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), path);
}

async function writeFile(path: string, text: string): Promise<vscode.Uri> {
  const uri = uriOf(path);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** The file's bytes on disk, or undefined when there is no file. */
async function onDisk(path: string): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uriOf(path)));
  } catch {
    return undefined;
  }
}

function update(path: string, oldText: string, newText: string, moveTo?: string): FileChange {
  return { kind: 'update', path, oldText, newText, ...(moveTo ? { moveTo } : {}) };
}

function changeSet(...changes: FileChange[]): ChangeSet {
  return { format: 'applyPatch', changes };
}

function reviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'tandem-proposal');
}

/** Edits a document the way typing does: in memory, unsaved. */
async function type(document: vscode.TextDocument, find: string, replace: string): Promise<void> {
  const offset = document.getText().indexOf(find);
  assert.ok(offset >= 0, `${find} is not in ${document.uri.path}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + find.length)), replace);
  const version = document.version;
  assert.ok(await vscode.workspace.applyEdit(edit));
  // The extension host sees the change a moment later; the next edit must be made on it.
  await waitFor(() => document.version > version, 'the edit to reach the extension host');
}

describe('Reviewing proposed edits in a real VS Code', function () {
  this.timeout(60_000);
  let api: TandemApi;
  const handles: ReviewHandle[] = [];

  async function propose(set: ChangeSet, title?: string): Promise<{ handle: ReviewHandle; finished: Promise<ReviewSummary> }> {
    const handle = await api.edits.propose(set, title ? { title } : {});
    handles.push(handle);
    const finished = new Promise<ReviewSummary>((resolve) => handle.onDidFinish(resolve));
    return { handle, finished };
  }

  before(async () => {
    api = await tandemApi();
  });

  beforeEach(async () => {
    TMP = `review-tmp-${++testCount}`;
    await vscode.workspace.fs.createDirectory(uriOf(TMP));
  });

  afterEach(async () => {
    for (const handle of handles.splice(0)) {
      if (handle.isOpen) await handle.rejectAll();
    }
    // Save what the tests left unsaved, or closing the editors would ask.
    for (const document of vscode.workspace.textDocuments) {
      if (document.isDirty && document.uri.path.includes('/review-tmp-')) await document.save();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uriOf(TMP), { recursive: true, useTrash: false });
  });

  it('opens the first file as a diff with the proposal on the right, without replacing the person’s editor', async () => {
    await writeFile(`${TMP}/a.ts`, BASE);
    await writeFile(`${TMP}/b.ts`, BASE);
    const mine = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uriOf('src/math.ts')), { preview: false });
    const { handle, finished } = await propose(changeSet(update(`${TMP}/a.ts`, BASE, PROPOSED), update(`${TMP}/b.ts`, BASE, PROPOSED)));

    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(active?.input instanceof vscode.TabInputTextDiff, 'the active tab is not a diff');
    assert.equal(active.input.original.toString(), uriOf(`${TMP}/a.ts`).toString(), 'left: the real file');
    assert.equal(active.input.modified.scheme, 'tandem-proposal', 'right: the proposal');
    // The security verdict is in the title (docs/checks.md).
    assert.equal(active.label, 'a.ts ↔ Tandem proposal · no security findings');
    assert.equal((await vscode.workspace.openTextDocument(active.input.modified)).getText(), PROPOSED);
    // Only the first file opens; the rest wait in the Proposed Changes view.
    assert.equal(reviewTabs().length, 1);
    // preserveFocus: the diff is the group's active editor, but the person's pinned editor stays open and untouched.
    // (Keyboard focus itself is not observable through the API.)
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.ok(tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === mine.document.uri.toString()));
    assert.equal(mine.document.isDirty, false);
    // Nothing reaches the workspace before the person accepts.
    assert.equal(await onDisk(`${TMP}/a.ts`), BASE);
    assert.equal((await vscode.workspace.openTextDocument(uriOf(`${TMP}/a.ts`))).getText(), BASE);
    assert.deepEqual(
      handle.files().map((file) => [file.path, file.state, file.hunks.length, file.added, file.removed]),
      [
        [`${TMP}/a.ts`, 'pending', 2, 2, 2],
        [`${TMP}/b.ts`, 'pending', 2, 2, 2],
      ],
    );
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', active.input.modified);
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.command]),
      [
        [1, 'tandem.review.acceptHunk'],
        [1, 'tandem.review.rejectHunk'],
        [9, 'tandem.review.acceptHunk'],
        [9, 'tandem.review.rejectHunk'],
      ],
    );

    await handle.rejectAll();
    assert.equal((await finished).applied, 0);
    assert.equal(reviewTabs().length, 0);
    assert.equal(handle.isOpen, false);
  });

  it('accepting one change applies only that change, leaves the document unsaved, and one Undo restores it', async () => {
    const path = `${TMP}/a.ts`;
    await writeFile(path, BASE);
    const { handle, finished } = await propose(changeSet(update(path, BASE, PROPOSED)));
    const result = await handle.acceptHunk(path, 0);
    assert.deepEqual(result, { applied: 1, rejected: 0, refused: [] });

    const document = await vscode.workspace.openTextDocument(uriOf(path));
    assert.equal(document.getText(), BASE.replace('return 1;', 'return 10;'), 'only the first change applied');
    assert.equal(document.isDirty, true, 'applied to the document, not saved');
    assert.equal(await onDisk(path), BASE, 'the file on disk is untouched');
    assert.deepEqual(
      handle.files()[0]?.hunks.map((hunk) => hunk.state),
      ['accepted', 'pending'],
    );
    // The proposal side still shows the remaining change on top of the current text.
    const proposal = handle.diffUris(path)!.proposal;
    await waitFor(async () => (await vscode.workspace.openTextDocument(proposal)).getText() === PROPOSED, 'the proposal to show the remaining change');

    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), BASE, 'one Undo restores the text');

    await handle.rejectHunk(path, 1);
    const summary = await finished;
    assert.equal(summary.applied, 1);
    assert.equal(summary.total, 2);
    assert.equal(reviewTabs().length, 0, 'the diff closes once every change is decided');
  });

  it('rejecting leaves the file untouched', async () => {
    const path = `${TMP}/a.ts`;
    await writeFile(path, BASE);
    const { handle, finished } = await propose(changeSet(update(path, BASE, PROPOSED)));
    const result = await handle.rejectFile(path);
    assert.equal(result.rejected, 2);
    assert.equal(result.applied, 0);
    const document = await vscode.workspace.openTextDocument(uriOf(path));
    assert.equal(document.getText(), BASE);
    assert.equal(document.isDirty, false);
    assert.equal(await onDisk(path), BASE);
    assert.equal((await finished).applied, 0);
    assert.equal(handle.files()[0]?.state, 'rejected');
  });

  it('applies a proposal made from unsaved text to the unsaved document, leaving the disk as it was', async () => {
    const path = `${TMP}/a.ts`;
    await writeFile(path, BASE);
    const document = await vscode.workspace.openTextDocument(uriOf(path));
    await type(document, 'export function one', '// not saved yet\nexport function one');
    const unsaved = document.getText();
    const { handle } = await propose(changeSet(update(path, unsaved, unsaved.replace('return 2;', 'return 20;'))));
    const result = await handle.acceptFile(path);
    assert.equal(result.applied, 1);
    assert.equal(document.getText(), unsaved.replace('return 2;', 'return 20;'));
    assert.equal(document.isDirty, true);
    assert.equal(await onDisk(path), BASE);
  });

  it('marks changes stale where the person edited after the proposal, and still applies the others', async () => {
    const path = `${TMP}/a.ts`;
    await writeFile(path, BASE);
    const document = await vscode.workspace.openTextDocument(uriOf(path));
    const { handle, finished } = await propose(changeSet(update(path, BASE, PROPOSED)));
    // The person types in the first change's lines, and adds a line above everything.
    await type(document, 'return 1;', 'return 100;');
    await type(document, 'export function one', '// header\nexport function one');

    const file = handle.files()[0];
    assert.ok(file);
    assert.deepEqual(
      file.hunks.map((hunk) => hunk.state),
      ['stale', 'pending'],
    );
    assert.equal(file.state, 'stale');
    const proposal = handle.diffUris(path)!.proposal;
    const lenses = await waitFor(async () => {
      const list = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', proposal);
      return list.some((lens) => lens.command?.title.includes('Stale: the code changed here')) && list;
    }, 'a stale CodeLens');
    assert.ok(lenses.some((lens) => lens.command?.command === 'tandem.review.acceptHunk' && lens.range.start.line === 10), 'the other change, one line lower now');

    const result = await handle.acceptFile(path);
    assert.equal(result.applied, 1);
    assert.deepEqual(
      result.refused.map((r) => [r.path, r.hunk]),
      [[path, 0]],
    );
    assert.equal(result.message, `1 change in ${path} no longer matches the file (the file was edited there after the proposal); it was not applied.`);
    assert.equal(document.getText(), `// header\n${BASE.replace('return 1;', 'return 100;').replace('return 3;', 'return 30;')}`, 'the person’s edits are kept');
    const summary = await finished;
    assert.deepEqual([summary.applied, summary.total], [1, 2]);
  });

  it('re-checks at the moment of accepting: a change edited since is refused, not overwritten', async () => {
    const path = `${TMP}/a.ts`;
    await writeFile(path, BASE);
    const document = await vscode.workspace.openTextDocument(uriOf(path));
    const { handle } = await propose(changeSet(update(path, BASE, PROPOSED)));
    await type(document, 'return 3;', 'return 3; // mine');
    const result = await handle.acceptHunk(path, 1);
    assert.equal(result.applied, 0);
    assert.equal(result.refused.length, 1);
    assert.ok(document.getText().includes('return 3; // mine'));
    assert.equal(handle.files()[0]?.hunks[1]?.state, 'stale');
  });

  it('Accept All is all or nothing: one stale file refuses the whole set', async () => {
    const a = `${TMP}/a.ts`;
    const b = `${TMP}/b.ts`;
    await writeFile(a, BASE);
    await writeFile(b, BASE);
    const { handle, finished } = await propose(changeSet(update(a, BASE, PROPOSED), update(b, BASE, PROPOSED)));
    const documentB = await vscode.workspace.openTextDocument(uriOf(b));
    await type(documentB, 'return 3;', 'return 33;');

    const refused = await handle.acceptAll();
    assert.equal(refused.applied, 0);
    assert.deepEqual(
      refused.refused.map((r) => r.path),
      [b],
    );
    assert.ok(refused.message?.startsWith(`Tandem applied nothing: ${b} no longer matches the proposal`), refused.message);
    const documentA = await vscode.workspace.openTextDocument(uriOf(a));
    assert.equal(documentA.getText(), BASE, 'nothing applied to the file that still fits');
    assert.equal(documentA.isDirty, false);
    assert.equal(await onDisk(a), BASE);

    // The person can still take the file that fits.
    assert.equal((await handle.acceptFile(a)).applied, 2);
    assert.equal(documentA.getText(), PROPOSED);
    await handle.rejectFile(b);
    const summary = await finished;
    assert.deepEqual([summary.applied, summary.total], [2, 4]);
  });

  it('adds, deletes and moves files in one edit', async () => {
    await writeFile(`${TMP}/old.ts`, 'export const old = 1;\n');
    await writeFile(`${TMP}/m.ts`, BASE);
    const { handle, finished } = await propose(
      changeSet(
        { kind: 'add', path: `${TMP}/new/c.ts`, newText: 'export const c = 3;\n' },
        { kind: 'delete', path: `${TMP}/old.ts`, oldText: 'export const old = 1;\n' },
        update(`${TMP}/m.ts`, BASE, PROPOSED, `${TMP}/moved.ts`),
      ),
    );
    assert.deepEqual(
      handle.files().map((file) => [file.kind, file.state, file.moveTo]),
      [
        ['add', 'pending', undefined],
        ['delete', 'pending', undefined],
        ['update', 'pending', `${TMP}/moved.ts`],
      ],
    );
    // The new file's diff is empty on the left.
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(active?.input instanceof vscode.TabInputTextDiff);
    assert.equal(active.label, 'c.ts (new file) ↔ Tandem proposal · no security findings');

    const result = await handle.acceptAll();
    assert.deepEqual(result, { applied: 4, rejected: 0, refused: [] });
    assert.equal((await vscode.workspace.openTextDocument(uriOf(`${TMP}/new/c.ts`))).getText(), 'export const c = 3;\n');
    assert.equal(await onDisk(`${TMP}/old.ts`), undefined, 'deleted');
    assert.equal(await onDisk(`${TMP}/m.ts`), undefined, 'moved away');
    assert.equal((await vscode.workspace.openTextDocument(uriOf(`${TMP}/moved.ts`))).getText(), PROPOSED);
    assert.deepEqual((await finished).applied, 4);
  });

  it('refuses to add over an existing file and to delete a file edited since', async () => {
    await writeFile(`${TMP}/exists.ts`, 'mine\n');
    await writeFile(`${TMP}/gone.ts`, 'export const gone = 1;\n');
    const gone = await vscode.workspace.openTextDocument(uriOf(`${TMP}/gone.ts`));
    const { handle } = await propose(
      changeSet({ kind: 'add', path: `${TMP}/exists.ts`, newText: 'theirs\n' }, { kind: 'delete', path: `${TMP}/gone.ts`, oldText: 'export const gone = 1;\n' }),
    );
    await type(gone, 'gone = 1', 'gone = 2');
    assert.deepEqual(
      handle.files().map((file) => file.state),
      ['stale', 'stale'],
    );
    const added = await handle.acceptFile(`${TMP}/exists.ts`);
    assert.equal(added.applied, 0);
    assert.match(added.refused[0]?.reason ?? '', /already exists/);
    const deleted = await handle.acceptFile(`${TMP}/gone.ts`);
    assert.equal(deleted.applied, 0);
    assert.equal(await onDisk(`${TMP}/exists.ts`), 'mine\n');
    assert.equal(await onDisk(`${TMP}/gone.ts`), 'export const gone = 1;\n');
    assert.equal(handle.isOpen, false, 'refused files are decided');
  });

  it('keeps the document’s CRLF line breaks', async () => {
    const path = `${TMP}/crlf.ts`;
    await writeFile(path, BASE.replace(/\n/g, '\r\n'));
    const { handle } = await propose(changeSet(update(path, BASE, PROPOSED.replace('return 30;', 'return 30;\n  // and more'))));
    assert.equal((await handle.acceptAll()).applied, 2);
    const document = await vscode.workspace.openTextDocument(uriOf(path));
    assert.equal(document.eol, vscode.EndOfLine.CRLF);
    assert.equal(document.getText(), PROPOSED.replace('return 30;', 'return 30;\n  // and more').replace(/\n/g, '\r\n'));
  });

  it('the commands act on the change at the cursor, and next/previous move between changes', async () => {
    const path = `${TMP}/a.ts`;
    await writeFile(path, BASE);
    const { finished } = await propose(changeSet(update(path, BASE, PROPOSED)));
    // The diff editor puts the cursor on the first change by itself; start from the top.
    const opened = vscode.window.activeTextEditor;
    assert.equal(opened?.document.uri.scheme, 'tandem-proposal');
    opened.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('tandem.review.nextHunk');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'tandem-proposal');
    assert.equal(editor.selection.active.line, 1);
    await vscode.commands.executeCommand('tandem.review.nextHunk');
    assert.equal(editor.selection.active.line, 9);

    const accepted = await vscode.commands.executeCommand<{ applied: number }>('tandem.review.acceptHunk');
    assert.equal(accepted.applied, 1);
    const document = await vscode.workspace.openTextDocument(uriOf(path));
    assert.equal(document.getText(), BASE.replace('return 3;', 'return 30;'));

    await vscode.commands.executeCommand('tandem.review.previousHunk');
    const now = vscode.window.activeTextEditor;
    assert.equal(now?.selection.active.line, 1);
    await vscode.commands.executeCommand('tandem.review.rejectHunk');
    assert.equal((await finished).applied, 1);
    assert.equal(document.getText(), BASE.replace('return 3;', 'return 30;'));
  });

  it('refuses a path outside the workspace folder', async () => {
    await assert.rejects(api.edits.propose(changeSet(update('../outside.ts', 'a\n', 'b\n'))), /outside the workspace folder/);
  });
});
