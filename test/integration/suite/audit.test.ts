/**
 * The audit trail inside the real VS Code: on by default in the workspace's
 * storage; a proposal opened for review and accepted there leaves its
 * proposal, decision and write in the trail, with the file's hashes, and the
 * built `tandem audit verify` finds the chain intact.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ReviewSummary } from '../../../src/extension/edits/types';
import type { AuditRecord } from '../../../src/shared/audit';
import { EXTENSION_ID, tandemApi } from './helpers';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function events(dir: string, chain: number): AuditRecord[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith(`audit-${chain}-`) && name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      readFileSync(path.join(dir, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditRecord),
    );
}

describe('the audit trail (real VS Code)', function () {
  this.timeout(30_000);

  it('records a proposal accepted in review (proposal, decision, write) in the workspace’s storage; the chain verifies', async () => {
    const api = await tandemApi();
    const status = await api.audit.status(true);
    assert.equal(status.enabled, true, 'on by default');
    assert.ok(status.directory, `no folder: ${status.problem ?? ''}`);
    assert.ok(status.chain);
    assert.match(status.directory, /audit$/);
    const { directory: dir, chain } = status;

    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'the integration tests need the fixture workspace open');
    const relative = `audit-tmp-${Date.now()}/proposed.ts`;
    const before = 'export const answer = 41;\n';
    const after = 'export const answer = 42;\n';
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, relative), new TextEncoder().encode(before));
    try {
      const review = await api.edits.propose({ format: 'applyPatch', changes: [{ kind: 'update', path: relative, oldText: before, newText: after }] }, { title: 'Audit test' });
      const finished = new Promise<ReviewSummary>((resolve) => review.onDidFinish(resolve));
      const result = await review.acceptAll();
      assert.equal(result.applied, 1, JSON.stringify(result));
      await finished;

      await api.audit.status(true);
      const trail = events(dir, chain);
      const proposal = trail.find((event) => event.type === 'proposal' && event.files.some((file) => file.path === relative));
      assert.ok(proposal?.type === 'proposal', 'the proposal is in the trail');
      assert.equal(proposal.origin, 'api');
      assert.equal(proposal.files[0]?.sha256Before, sha256(before));
      assert.match(proposal.diff ?? '', /^-export const answer = 41;$/m);
      const id = proposal.proposal;
      assert.ok(id);
      const decision = trail.find((event) => event.type === 'decision' && event.proposal === id);
      assert.ok(decision?.type === 'decision', 'the decision is in the trail');
      assert.deepEqual([decision.actor, decision.decision, decision.scope, decision.path, decision.hunks], ['person', 'accepted', 'set', relative, [0]]);
      const write = trail.find((event) => event.type === 'write' && event.proposal === id);
      assert.ok(write?.type === 'write', 'the write is in the trail');
      assert.deepEqual([write.operation, write.sha256Before, write.sha256After], ['edit', sha256(before), sha256(after)]);
      assert.ok(trail.indexOf(proposal) < trail.indexOf(decision) && trail.indexOf(decision) < trail.indexOf(write));

      // The reviewer's command, as a compliance team would run it on the folder.
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension);
      const verify = spawnSync(process.execPath, [path.join(extension.extensionPath, 'dist', 'server.js'), 'audit', 'verify', '--dir', dir], {
        encoding: 'utf8',
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        timeout: 20_000,
      });
      assert.equal(verify.status, 0, `${verify.stdout}\n${verify.stderr}`);
      assert.match(verify.stdout, new RegExp(`chain ${chain}: intact`));
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, path.posix.dirname(relative)), { recursive: true, useTrash: false });
    }
  });

  it('an agent edit applied by the policy is decided and written as policy:full-auto; Restore to here is recorded with the hashes', async () => {
    const api = await tandemApi();
    const { directory: dir, chain } = await api.audit.status(true);
    assert.ok(dir && chain);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root);
    const folder = `audit-agent-${Date.now()}`;
    const file = `${folder}/value.ts`;
    const before = 'export const value = 1;\n';
    const after = 'export const value = 2;\n';
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, file), new TextEncoder().encode(before));
    const task = `audit-task-${Date.now()}`;
    try {
      const result = await api.agent.clientTool({
        streamId: task,
        stepId: 's1',
        call: { kind: 'applyChanges', autoApply: true, policy: 'full-auto', changeSet: { format: 'applyPatch', changes: [{ kind: 'update', path: file, oldText: before, newText: after }] } },
      });
      assert.ok(result.kind === 'applyChanges' && result.applied.includes(file), JSON.stringify(result));
      const outcome = await api.agent.restore(task, 's1');
      assert.deepEqual(outcome?.restored, [file]);

      await api.audit.status(true);
      const all = events(dir, chain).filter((event) => event.task === task);
      // The review checked the change set it was given (the service had not: this call bypasses it), beside the decision.
      const checks = all.filter((event) => event.type === 'checks');
      assert.ok(checks.length === 1 && checks[0]?.type === 'checks' && checks[0].stage === 'security' && checks[0].step === 's1' && checks[0].findings?.length === 0, JSON.stringify(checks));
      const trail = all.filter((event) => event.type !== 'checks');
      assert.deepEqual(
        trail.map((event) => [event.type, event.actor]),
        [
          ['decision', 'policy:full-auto'],
          ['write', 'policy:full-auto'],
          ['restore', 'person'],
        ],
      );
      const [decision, write, restore] = trail;
      assert.ok(decision?.type === 'decision' && decision.step === 's1' && decision.decision === 'accepted');
      assert.ok(write?.type === 'write' && write.sha256Before === sha256(before) && write.sha256After === sha256(after));
      assert.ok(restore?.type === 'restore');
      assert.deepEqual(restore.files, [{ path: file, action: 'restored', sha256Before: sha256(after), sha256After: sha256(before) }]);
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, folder), { recursive: true, useTrash: false });
    }
  });
});
