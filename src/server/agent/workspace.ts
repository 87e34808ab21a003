/**
 * The agent's view of the workspace: texts come from what the agent applied
 * this task, then the client's unsaved buffers, then the disk; ignored and
 * secret files are invisible. The read-only tools (read_file, list_dir,
 * find_files, search_text) are here. Paths are relative, '/'-separated.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { readRegularFile, WorkspaceBoundary, type Access, type PathDecision } from '../../shared/boundary/boundary';
import { GlobTooComplexError, type GlobMatcher } from '../../shared/boundary/glob';
import { fileGlob, SKIPPED_DIRS } from '../../shared/boundary/ignore';
import { errorMessage } from '../../shared/guards';
import type { FileText } from '../../shared/protocol';
import { normalise } from '../services/workspaceFiles';
import { readFolder } from '../util/readFolder';
import { lineSearch, type LineSearch } from '../util/safeRegex';
import { sortInSlices, TimeSlice } from '../util/timeSlice';
import { MAX_TOOL_OUTPUT_CHARS, truncateMiddle } from './context';
import { readSecretValues, type SecretValues } from './secretValues';

/** A walk stops after this long, saying so. */
const MAX_WALK_MS = 10_000;
const WALK_STOPPED_NOTE = '[stopped after 10 s: the workspace is too large to go through at once; narrow the glob or the folder]';

/** How long the secret values found in the workspace are reused. */
const SECRET_VALUES_TTL_MS = 30_000;

const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_READ_LINES = 400;
const MAX_LIST_ENTRIES = 400;
const MAX_FOUND_FILES = 200;
const MAX_MATCHES = 100;
const MAX_WALKED_FILES = 20_000;
const MAX_MATCH_LINE_CHARS = 200;

export interface ToolOutcome {
  ok: boolean;
  /** What the model is told. */
  output: string;
  /** A short result for the step card. */
  summary: string;
  /** Refused by policy (rather than failed). */
  refused?: boolean;
}

export class AgentWorkspace {
  readonly boundary: WorkspaceBoundary;
  private secrets: { at: number; values: SecretValues } | undefined;
  /** The last walk ran out of time (MAX_WALK_MS). */
  private walkStopped = false;
  private buffers = new Map<string, string>();
  /** Texts this task's applied edits produced (undefined: deleted), and when. */
  private readonly overlay = new Map<string, { text: string | undefined; at: number }>();

  constructor(readonly root: string) {
    this.boundary = new WorkspaceBoundary(root, { ignoreFiles: true });
  }

  /** The values in the workspace's secrets files (read once, again after a while: commands may change them). */
  async secretValues(now = Date.now()): Promise<SecretValues> {
    if (!this.secrets || now - this.secrets.at > SECRET_VALUES_TTL_MS) this.secrets = { at: now, values: await readSecretValues(this.boundary.realRoot) };
    return this.secrets.values;
  }

  /** The boundary's decision for a path the model named. */
  decide(requested: string, access: Access): PathDecision {
    return this.boundary.decide(requested, access);
  }

  setBuffers(files: readonly FileText[]): void {
    this.buffers = new Map(files.map((file) => [normalise(file.path), file.text]));
  }

  /** Record what an applied change left in the file (undefined when it was deleted). */
  setApplied(relative: string, text: string | undefined): void {
    this.overlay.set(normalise(relative), { text, at: Date.now() });
  }

  /**
   * After a command: an applied text whose file changed on disk since (the
   * command rewrote it, or the editor saved it) gives way to the disk.
   */
  refreshApplied(): void {
    for (const [key, entry] of this.overlay) {
      const stat = safeStat(path.join(this.root, key));
      const changed = stat ? stat.mtimeMs >= entry.at - 5 : entry.text !== undefined;
      if (changed) {
        this.overlay.delete(key);
        this.buffers.delete(key);
      }
    }
  }

  /** A file's current text, or undefined when it is missing, too large, outside root or ignored. */
  readText(relative: string): string | undefined {
    const decision = this.decide(relative, 'read');
    if (decision.action === 'refuse') return undefined;
    const key = decision.relative;
    const applied = this.overlay.get(key);
    if (applied) return applied.text;
    const buffered = this.buffers.get(key);
    if (buffered !== undefined) return buffered;
    return readRegularFile(decision.absolute, MAX_FILE_BYTES);
  }

  readFile(args: { path: string; start_line?: number; end_line?: number }): ToolOutcome {
    const decision = this.decide(args.path, 'read');
    if (decision.action === 'refuse') return refused(decision.reason);
    const text = this.readText(decision.relative);
    if (text === undefined) {
      const isDir = safeStat(decision.absolute)?.isDirectory() === true;
      const message = isDir ? `${decision.relative} is a folder; use list_dir.` : `${decision.relative} does not exist (or is too large to read).`;
      return { ok: false, output: message, summary: message };
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const first = Math.max(1, Math.floor(args.start_line ?? 1));
    const requestedLast = Math.min(lines.length, Math.floor(args.end_line ?? lines.length));
    const last = Math.min(requestedLast, first + MAX_READ_LINES - 1);
    if (lines.length === 0) return { ok: true, output: `${decision.relative} is empty.`, summary: 'empty file' };
    if (first > lines.length) {
      const message = `${decision.relative} has only ${lines.length} lines.`;
      return { ok: false, output: message, summary: message };
    }
    const width = String(last).length;
    let body = lines
      .slice(first - 1, last)
      .map((line, index) => `${String(first + index).padStart(width)}\t${line}`)
      .join('\n');
    body = truncateMiddle(body, MAX_TOOL_OUTPUT_CHARS, 'read a smaller line range');
    const notes: string[] = [];
    if (last < requestedLast || last < lines.length) {
      notes.push(`[showing lines ${first}–${last} of ${lines.length}; ask for start_line/end_line to see more]`);
    }
    return { ok: true, output: [body, ...notes].join('\n'), summary: `${last - first + 1} of ${lines.length} lines` };
  }

  async listDir(args: { path: string }): Promise<ToolOutcome> {
    const decision = this.decide(args.path || '.', 'read');
    if (decision.action === 'refuse') return refused(decision.reason);
    let entries: Array<{ name: string; dir: boolean; link: boolean }>;
    try {
      entries = (await readFolder(decision.absolute)).map((entry) => ({ name: entry.name, dir: entry.isDirectory(), link: entry.isSymbolicLink() }));
    } catch {
      const message = `${decision.relative} is not a folder.`;
      return { ok: false, output: message, summary: message };
    }
    const prefix = decision.relative === '.' ? '' : `${decision.relative}/`;
    const visible: typeof entries = [];
    const slice = new TimeSlice();
    for (const entry of entries) {
      // Each name is checked against the ignore rules (a link's target resolved): a huge folder takes a while.
      if (slice.due()) await slice.handBack();
      // A link is shown only when what it leads to may be read.
      const skip =
        (entry.dir && SKIPPED_DIRS.has(entry.name)) ||
        this.boundary.isIgnored(prefix + entry.name, entry.dir) ||
        (entry.link && this.decide(prefix + entry.name, 'read').action === 'refuse');
      if (!skip) visible.push(entry);
    }
    const hidden = entries.length - visible.length;
    const shown = (await sortInSlices(visible, (a, b) => (a.dir === b.dir ? a.name.localeCompare(b.name) : a.dir ? -1 : 1), slice)).map((entry) => (entry.dir ? `${entry.name}/` : entry.name));
    const lines = shown.slice(0, MAX_LIST_ENTRIES);
    if (shown.length > lines.length) lines.push(`[${shown.length - lines.length} more entries not shown]`);
    if (hidden > 0) lines.push(`[${hidden} ignored entries not shown]`);
    return { ok: true, output: lines.join('\n') || '(empty folder)', summary: `${shown.length} entries` };
  }

  async findFiles(args: { glob: string }): Promise<ToolOutcome> {
    let regex: GlobMatcher;
    try {
      regex = fileGlob(args.glob);
    } catch (error) {
      const why = error instanceof GlobTooComplexError ? `: ${error.message}` : '';
      return { ok: false, output: `Not a valid glob: ${args.glob.slice(0, 200)}${why}`, summary: 'invalid glob' };
    }
    const found: string[] = [];
    let total = 0;
    for await (const file of this.walk()) {
      if (!regex.test(file)) continue;
      total += 1;
      if (found.length < MAX_FOUND_FILES) found.push(file);
    }
    if (total > found.length) found.push(`[${total - found.length} more files not shown; use a narrower glob]`);
    if (this.walkStopped) found.push(WALK_STOPPED_NOTE);
    return { ok: true, output: found.join('\n') || 'No files match.', summary: `${total} file${total === 1 ? '' : 's'}` };
  }

  async searchText(args: { pattern: string; glob?: string }): Promise<ToolOutcome> {
    let regex: LineSearch;
    let only: GlobMatcher | undefined;
    try {
      regex = lineSearch(args.pattern);
      only = args.glob ? fileGlob(args.glob) : undefined;
    } catch (error) {
      const message = `Not a valid regular expression or glob: ${errorMessage(error)}`;
      return { ok: false, output: message, summary: 'invalid pattern' };
    }
    const matches: string[] = [];
    let total = 0;
    const slice = new TimeSlice();
    for await (const file of this.walk()) {
      if (regex.stopped) break;
      if (only && !only.test(file)) continue;
      const text = this.readText(file);
      if (text === undefined || text.includes('\0')) continue;
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        // Within a large file too (checked every 256 lines: the clock costs more than a short line).
        if ((i & 255) === 255 && slice.due()) await slice.handBack();
        const line = lines[i] ?? '';
        if (!regex.test(line)) continue;
        total += 1;
        if (matches.length < MAX_MATCHES) {
          const shown = line.length > MAX_MATCH_LINE_CHARS ? `${line.slice(0, MAX_MATCH_LINE_CHARS)}…` : line;
          matches.push(`${file}:${i + 1}: ${shown.trim()}`);
        }
      }
    }
    if (total > matches.length) matches.push(`[${total - matches.length} more matches not shown; narrow the pattern or glob]`);
    const notes = [...regex.notes(), ...(this.walkStopped ? [WALK_STOPPED_NOTE] : [])];
    return { ok: true, output: [matches.join('\n') || 'No matches.', ...notes].join('\n'), summary: `${total} match${total === 1 ? '' : 'es'}` };
  }

  /** Every file under root that is not ignored, skipped or secret, in a stable order. */
  async *walk(): AsyncGenerator<string> {
    const pending = [''];
    let seen = 0;
    const slice = new TimeSlice();
    this.walkStopped = false;
    while (pending.length > 0) {
      // Hand the event loop back now and then: completions, chat and Stop are answered while a walk runs.
      if (slice.due()) {
        await slice.handBack();
        if (slice.elapsed() > MAX_WALK_MS) {
          this.walkStopped = true;
          return;
        }
      }
      const folder = pending.shift() ?? '';
      let entries;
      try {
        entries = await sortInSlices(await readFolder(path.join(this.root, folder)), (a, b) => a.name.localeCompare(b.name), slice);
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (slice.due()) await slice.handBack();
        const relative = folder ? `${folder}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name) && !this.boundary.isIgnored(relative, true)) pending.push(relative);
        } else if ((entry.isFile() && !this.boundary.isIgnored(relative)) || (entry.isSymbolicLink() && this.isLinkedFile(relative))) {
          if (++seen > MAX_WALKED_FILES) return;
          yield relative;
        }
      }
    }
  }

  /** A link found while walking counts when it leads to an allowed file inside (folders behind links are not walked: no loops). */
  private isLinkedFile(relative: string): boolean {
    const decision = this.decide(relative, 'read');
    return decision.action !== 'refuse' && safeStat(decision.absolute)?.isFile() === true;
  }
}

function refused(reason: string): ToolOutcome {
  return { ok: false, output: `Refused: ${reason}`, summary: reason, refused: true };
}

function safeStat(absolute: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(absolute);
  } catch {
    return undefined;
  }
}

