/**
 * The sample project that tests and `npm start` open. Always used through a
 * temporary copy, so tests and people trying Tandem may edit it freely
 * without touching the repository.
 */
import { rmSync } from 'node:fs';
import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

// From __filename, not __dirname: tsx's tsImport() (used by scripts/*.mjs)
// gives a bogus __dirname but a correct __filename.
export const repoRoot = path.resolve(path.dirname(__filename), '..', '..');
export const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');

const copies = new Set<string>();

/** Copies the sample workspace to a fresh temp folder, removed when this process exits. */
export async function copyFixtureWorkspace(): Promise<string> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'tandem-workspace-'));
  if (copies.size === 0) {
    process.once('exit', () => {
      for (const dir of copies) {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  copies.add(parent);
  // The folder name is what VS Code shows in the Explorer title.
  const workspace = path.join(parent, 'tandem-sample');
  await cp(fixtureWorkspace, workspace, { recursive: true });
  return workspace;
}
