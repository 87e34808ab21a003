import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Checkpoints of an agent task: before each change the agent applies, the
 * pre-image of every file the change touches (and only those files, never a
 * copy of the workspace), plus which of them did not exist yet. "Restore to
 * here" puts those files back and deletes what the agent created since.
 *
 * Pure Node (no vscode): the extension applies a restore plan through a
 * WorkspaceEdit, the unit tests and benchmarks use the store directly.
 *
 * Layout: <dir>/<task>/<n>/manifest.json and <dir>/<task>/<n>/<i>.blob
 */

/** A file as it was before a change: `content` undefined means it did not exist. */
export interface PreImage {
  /** Relative to the task's root, '/' separators. */
  path: string;
  content?: Uint8Array | string;
}

export interface CheckpointFile {
  path: string;
  existed: boolean;
  /** Bytes stored for the pre-image (0 for a file that did not exist). */
  bytes: number;
}

export interface CheckpointInfo {
  task: string;
  /** 1-based, in the order the checkpoints were taken. */
  index: number;
  /** The step whose change the checkpoint precedes. */
  stepId: string;
  /** Absolute path of the workspace folder the paths are relative to. */
  root: string;
  createdAt: number;
  files: CheckpointFile[];
}

/** What restoring does to one file: write `content`, or delete it when undefined. */
export interface RestoreEntry {
  path: string;
  content?: Uint8Array;
}

interface Manifest {
  version: 1;
  stepId: string;
  root: string;
  createdAt: number;
  files: Array<{ path: string; existed: boolean; bytes: number; blob?: string }>;
}

const MANIFEST = 'manifest.json';

export class CheckpointStore {
  constructor(readonly dir: string) {}

  /** Records the pre-images of the files a change is about to touch; one checkpoint per call. */
  async take(task: string, root: string, stepId: string, preImages: readonly PreImage[]): Promise<CheckpointInfo> {
    const taskDir = this.taskDir(task);
    await fs.mkdir(taskDir, { recursive: true });
    const index = (await this.indices(task)).reduce((max, n) => Math.max(max, n), 0) + 1;
    const dir = path.join(taskDir, String(index));
    await fs.mkdir(dir, { recursive: true });
    const seen = new Set<string>();
    const manifest: Manifest = { version: 1, stepId, root, createdAt: Date.now(), files: [] };
    for (const image of preImages) {
      const relative = checkRelative(image.path);
      if (seen.has(relative)) continue;
      seen.add(relative);
      if (image.content === undefined) {
        manifest.files.push({ path: relative, existed: false, bytes: 0 });
        continue;
      }
      const bytes = typeof image.content === 'string' ? Buffer.from(image.content, 'utf8') : image.content;
      const blob = `${manifest.files.length}.blob`;
      await fs.writeFile(path.join(dir, blob), bytes);
      manifest.files.push({ path: relative, existed: true, bytes: bytes.byteLength, blob });
    }
    await fs.writeFile(path.join(dir, MANIFEST), JSON.stringify(manifest));
    return toInfo(task, index, manifest);
  }

  /** The task's checkpoints, oldest first. */
  async list(task: string): Promise<CheckpointInfo[]> {
    const result: CheckpointInfo[] = [];
    for (const index of await this.indices(task)) {
      const manifest = await this.manifest(task, index);
      if (manifest) result.push(toInfo(task, index, manifest));
    }
    return result;
  }

  async find(task: string, stepId: string): Promise<CheckpointInfo | undefined> {
    return (await this.list(task)).find((checkpoint) => checkpoint.stepId === stepId);
  }

  /**
   * What restoring the workspace to just before checkpoint `index` means: for
   * every file touched at or after it, its pre-image from the first
   * checkpoint (from `index` on) that touched it; files that did not exist
   * then are deleted.
   */
  async restorePlan(task: string, index: number): Promise<{ root: string; entries: RestoreEntry[] }> {
    const later = (await this.list(task)).filter((checkpoint) => checkpoint.index >= index);
    const [first] = later;
    if (!first) {
      throw new Error(`checkpoint ${index} of task ${task} does not exist`);
    }
    const entries = new Map<string, RestoreEntry>();
    for (const checkpoint of later) {
      const manifest = await this.manifest(task, checkpoint.index);
      for (const file of manifest?.files ?? []) {
        if (entries.has(file.path)) continue;
        const content = file.existed && file.blob ? new Uint8Array(await fs.readFile(path.join(this.taskDir(task), String(checkpoint.index), file.blob))) : undefined;
        entries.set(file.path, content ? { path: file.path, content } : { path: file.path });
      }
    }
    return { root: first.root, entries: [...entries.values()] };
  }

  /** Forgets checkpoints `index` and later (after a restore they describe a future that no longer exists). */
  async dropFrom(task: string, index: number): Promise<void> {
    for (const n of await this.indices(task)) {
      if (n >= index) {
        await fs.rm(path.join(this.taskDir(task), String(n)), { recursive: true, force: true });
      }
    }
  }

  async deleteTask(task: string): Promise<void> {
    await fs.rm(this.taskDir(task), { recursive: true, force: true });
  }

  /** Keeps the `keep` most recently written tasks, deletes the rest. */
  async prune(keep: number): Promise<void> {
    const tasks = await readDirSafe(this.dir);
    const dated: Array<{ task: string; time: number }> = [];
    for (const task of tasks) {
      const stat = await fs.stat(path.join(this.dir, task)).catch(() => undefined);
      if (stat?.isDirectory()) dated.push({ task, time: stat.mtimeMs });
    }
    dated.sort((a, b) => b.time - a.time);
    for (const { task } of dated.slice(keep)) {
      await fs.rm(path.join(this.dir, task), { recursive: true, force: true });
    }
  }

  /** Files and bytes the store (or one task of it) uses on disk. */
  usage(task?: string): Promise<{ files: number; bytes: number }> {
    return storageUsed(task ? this.taskDir(task) : this.dir);
  }

  private taskDir(task: string): string {
    return path.join(this.dir, safeName(task));
  }

  private async indices(task: string): Promise<number[]> {
    return (await readDirSafe(this.taskDir(task)))
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => a - b);
  }

  private async manifest(task: string, index: number): Promise<Manifest | undefined> {
    try {
      return JSON.parse(await fs.readFile(path.join(this.taskDir(task), String(index), MANIFEST), 'utf8')) as Manifest;
    } catch {
      return undefined;
    }
  }
}

/** Reads pre-images from disk (a missing file is recorded as not existing). */
export async function readPreImages(root: string, paths: readonly string[]): Promise<PreImage[]> {
  return Promise.all(
    paths.map(async (relative) => {
      try {
        return { path: relative, content: new Uint8Array(await fs.readFile(path.join(root, checkRelative(relative)))) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path: relative };
        throw error;
      }
    }),
  );
}

/** Files and bytes under `dir` (0 when it does not exist): what checkpoints cost on disk. */
export async function storageUsed(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isFile()) {
      const stat = await fs.stat(path.join(entry.parentPath, entry.name)).catch(() => undefined);
      if (stat) {
        files++;
        bytes += stat.size;
      }
    }
  }
  return { files, bytes };
}

function toInfo(task: string, index: number, manifest: Manifest): CheckpointInfo {
  return {
    task,
    index,
    stepId: manifest.stepId,
    root: manifest.root,
    createdAt: manifest.createdAt,
    files: manifest.files.map(({ path: file, existed, bytes }) => ({ path: file, existed, bytes })),
  };
}

/** A relative path that stays under the root ('/' separators), else an error. */
export function checkRelative(relative: string): string {
  const normal = path.posix.normalize(relative.replace(/\\/g, '/'));
  if (!normal || normal === '.' || normal.startsWith('../') || normal === '..' || path.posix.isAbsolute(normal) || /^[A-Za-z]:/.test(normal)) {
    throw new Error(`not a path inside the workspace: ${relative}`);
  }
  return normal;
}

function safeName(task: string): string {
  const name = task.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!name) throw new Error('empty task id');
  return name;
}

async function readDirSafe(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch(() => []);
}
