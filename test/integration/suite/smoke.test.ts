/**
 * Proves the harness itself: we are in the VS Code we expect, with the sample
 * workspace open, Tandem loaded, and the runner's environment visible here.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

describe('integration harness', () => {
  it('runs inside VS Code 1.100', () => {
    assert.ok(vscode.version.startsWith('1.100'), `VS Code ${vscode.version}`);
  });

  it('opens the sample workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'expected exactly one workspace folder');
    const folder = folders[0]?.uri.fsPath ?? '';
    // The runner opens a copy of test/fixtures/workspace and says where.
    if (process.env.TANDEM_TEST_WORKSPACE) {
      assert.equal(folder, process.env.TANDEM_TEST_WORKSPACE);
    }
    assert.ok(existsSync(path.join(folder, 'src', 'math.ts')), `${folder} is not the sample workspace`);
  });

  it('has Tandem installed as the extension under development', () => {
    const extension = vscode.extensions.getExtension('tandem-dev.tandem');
    assert.ok(extension, 'tandem-dev.tandem is not loaded');
    assert.equal((extension.packageJSON as { name?: unknown }).name, 'tandem');
  });

  it('inherits the environment code-server was started with', function () {
    if (!process.env.TANDEM_TEST_REPORT) {
      this.skip(); // not started by the code-server runner (e.g. test-electron)
    }
    assert.equal(process.env.TANDEM_HARNESS_PROBE, 'from-the-runner');
  });
});
