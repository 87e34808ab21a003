/**
 * Project knowledge for the system prompt: the AGENTS.md files from the root
 * down to the active file's folder (deeper files come later and win), and the
 * command that runs the project's tests. Files are read through the
 * workspace boundary: an AGENTS.md that is a link to `/proc/self/environ`, to
 * a file outside the workspace or to a secret is not read.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { WorkspaceBoundary } from '../../shared/boundary/boundary';

/** The AGENTS.md text put into the prompt is cut at this size (all files together). */
export const MAX_RULES_BYTES = 32 * 1024;

export interface LoadedRules {
  /** Rendered for the prompt ('' when there are none). */
  text: string;
  /** Relative paths of the files used, root first. */
  files: string[];
  truncated: boolean;
}

type Read = (absolute: string) => string | undefined;

/**
 * AGENTS.md from `root`, then each folder on the way to `activeFile`'s
 * folder. Each is headed by its path; over 32 KiB, the text is cut from the
 * start (the deeper, more specific files are kept) with a note.
 */
export function loadAgentsRules(root: string, activeFile: string | undefined, read: Read = boundaryReader(root)): LoadedRules {
  const folders = [''];
  if (activeFile) {
    const relative = path.relative(root, path.resolve(root, activeFile));
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
      const parts = relative.split(path.sep).slice(0, -1);
      for (let i = 1; i <= parts.length; i++) folders.push(parts.slice(0, i).join('/'));
    }
  }
  const sections: string[] = [];
  const files: string[] = [];
  for (const folder of folders) {
    const relative = folder ? `${folder}/AGENTS.md` : 'AGENTS.md';
    const text = read(path.join(root, relative));
    if (text === undefined || text.trim() === '') continue;
    files.push(relative);
    sections.push(`# ${relative}\n${text.trim()}`);
  }
  let text = sections.join('\n\n');
  let truncated = false;
  if (Buffer.byteLength(text, 'utf8') > MAX_RULES_BYTES) {
    truncated = true;
    const note = '[earlier rules cut: the rules exceed 32 KiB]\n';
    const bytes = Buffer.from(text, 'utf8');
    text = note + bytes.subarray(bytes.length - (MAX_RULES_BYTES - note.length)).toString('utf8').replace(/^\uFFFD+/, '');
  }
  return { text, files, truncated };
}

/**
 * The test command: the setting when given, else found from the project's
 * files (package.json `scripts.test` → `npm test`, pytest.ini / pyproject →
 * `pytest`, go.mod → `go test ./...`, Cargo.toml → `cargo test`), else ''.
 */
export function findTestCommand(root: string, configured: string, read: Read = boundaryReader(root), exists: (absolute: string) => boolean = boundaryExists(root)): string {
  if (configured.trim()) return configured.trim();
  const packageJson = read(path.join(root, 'package.json'));
  if (packageJson !== undefined) {
    try {
      const parsed: unknown = JSON.parse(packageJson);
      const scripts = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'scripts') : undefined;
      const test: unknown = typeof scripts === 'object' && scripts !== null ? Reflect.get(scripts, 'test') : undefined;
      if (typeof test === 'string' && test.trim() !== '' && !/no test specified/.test(test)) return 'npm test';
    } catch {
      // not JSON: look further
    }
  }
  if (exists(path.join(root, 'pytest.ini'))) return 'pytest';
  const pyproject = read(path.join(root, 'pyproject.toml'));
  if (pyproject !== undefined && /pytest/.test(pyproject)) return 'pytest';
  if (exists(path.join(root, 'go.mod'))) return 'go test ./...';
  if (exists(path.join(root, 'Cargo.toml'))) return 'cargo test';
  return '';
}

/** Project files are small: a rules or manifest file larger than this is not read. */
const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

/** Reads absolute paths under `root` through the boundary (refused and missing files read as undefined). */
export function boundaryReader(root: string | WorkspaceBoundary): Read {
  const boundary = typeof root === 'string' ? new WorkspaceBoundary(root) : root;
  return (absolute) => {
    const result = boundary.readText(absolute, MAX_PROJECT_FILE_BYTES);
    return result && 'text' in result ? result.text : undefined;
  };
}

function boundaryExists(root: string | WorkspaceBoundary): (absolute: string) => boolean {
  const boundary = typeof root === 'string' ? new WorkspaceBoundary(root) : root;
  return (absolute) => {
    const decision = boundary.decide(absolute, 'read');
    return decision.action !== 'refuse' && existsSync(decision.absolute);
  };
}
