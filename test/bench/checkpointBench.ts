import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CheckpointStore, readPreImages, storageUsed } from '../../src/extension/agent/checkpoints';

export interface CheckpointBenchResult {
  workspaceFiles: number;
  workspaceBytes: number;
  touchedFiles: number;
  /** Files and bytes the checkpoint store holds after the task. */
  storedFiles: number;
  storedBytes: number;
  /** Time to take the checkpoints (one per touched file, as an agent editing file by file would). */
  checkpointMs: number;
  restoreMs: number;
}

/**
 * What checkpoints cost: builds a workspace of `workspaceFiles` files, lets a
 * task touch `touchedFiles` of them (one checkpoint per edit, plus one new
 * file), then restores to the first checkpoint. Storage must grow with the
 * files touched, not the workspace. Pure Node, run by `npm run bench:agent`.
 */
export async function benchmarkCheckpoints(options: { workspaceFiles?: number; touchedFiles?: number; fileBytes?: number } = {}): Promise<CheckpointBenchResult> {
  const workspaceFiles = options.workspaceFiles ?? 10_000;
  const touchedFiles = options.touchedFiles ?? 20;
  const fileBytes = options.fileBytes ?? 2_000;
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-checkpoints-'));
  try {
    const root = path.join(base, 'workspace');
    const line = 'export const value = 1; // padding padding padding padding\n';
    const content = line.repeat(Math.max(1, Math.ceil(fileBytes / line.length))).slice(0, fileBytes);
    for (let dir = 0; dir < Math.ceil(workspaceFiles / 100); dir++) {
      await fs.mkdir(path.join(root, `pkg${dir}`), { recursive: true });
      await Promise.all(
        Array.from({ length: Math.min(100, workspaceFiles - dir * 100) }, (_, index) => fs.writeFile(path.join(root, `pkg${dir}`, `file${index}.ts`), content)),
      );
    }
    const store = new CheckpointStore(path.join(base, 'storage', 'checkpoints'));
    const touched = Array.from({ length: touchedFiles }, (_, index) => `pkg${index % Math.ceil(workspaceFiles / 100)}/file${Math.floor(index / Math.ceil(workspaceFiles / 100))}.ts`);
    const started = performance.now();
    for (const [index, file] of touched.entries()) {
      await store.take('bench', root, `step${index}`, await readPreImages(root, [file]));
      await fs.writeFile(path.join(root, file), `${content}// edited\n`);
    }
    await store.take('bench', root, 'create', await readPreImages(root, ['new/created.ts']));
    const checkpointMs = performance.now() - started;
    const stored = await storageUsed(store.dir);
    const restoreStarted = performance.now();
    await store.restorePlan('bench', 1);
    const restoreMs = performance.now() - restoreStarted;
    return {
      workspaceFiles,
      workspaceBytes: workspaceFiles * content.length,
      touchedFiles,
      storedFiles: stored.files,
      storedBytes: stored.bytes,
      checkpointMs,
      restoreMs,
    };
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
}
