/**
 * The values held in the workspace's secrets files, so that command output
 * can be cleaned of them before it goes to the model. The sandbox hides the
 * files themselves, but a command can still print a secret another way: a
 * `.env` committed by mistake shows up in `git show`, a test prints its
 * configuration, a tool echoes what it loaded. Read locally, never sent.
 */
import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../../shared/boundary/boundary';
import { SKIPPED_DIRS } from '../../shared/boundary/ignore';
import { isSecretPath } from '../../shared/boundary/rules';
import { readFolder } from '../util/readFolder';
import { TimeSlice } from '../util/timeSlice';

/** Shorter values are too likely to be ordinary words (`true`, `3000`, `dev`). */
const MIN_VALUE_CHARS = 6;
const MAX_SECRET_FILE_BYTES = 256 * 1024;
const MAX_WALKED_ENTRIES = 50_000;
const MAX_VALUES = 5_000;

export interface SecretValues {
  /** Value → the file it came from (workspace-relative). */
  values: Map<string, string>;
}

/** Walks `root` (not following links, skipping node_modules and .git) and reads every secrets file's values. */
export function collectSecretValues(root: string): SecretValues {
  const values = new Map<string, string>();
  const walk = secretsWalk(root, values);
  for (let step = walk.next(); !step.done; ) {
    step = walk.next(step.value === undefined ? undefined : readSync(step.value));
  }
  return { values };
}

/** The same, handing the event loop back every few milliseconds (a large workspace takes a while). */
export async function readSecretValues(root: string): Promise<SecretValues> {
  const values = new Map<string, string>();
  const slice = new TimeSlice();
  const walk = secretsWalk(root, values);
  for (let step = walk.next(); !step.done; ) {
    if (slice.due()) await slice.handBack();
    step = walk.next(step.value === undefined ? undefined : await readFolder(step.value).catch(() => undefined));
  }
  return { values };
}

/**
 * The walk, whatever reads the folders: it yields a folder's absolute path
 * and is given its entries (undefined when it cannot be read); it yields
 * undefined between entries, where an asynchronous reader may pause.
 */
function* secretsWalk(root: string, values: Map<string, string>): Generator<string | undefined, void, Dirent[] | undefined> {
  const pending = [''];
  let seen = 0;
  while (pending.length > 0 && seen < MAX_WALKED_ENTRIES && values.size < MAX_VALUES) {
    const folder = pending.pop() ?? '';
    const entries = yield path.join(root, folder);
    if (entries === undefined) continue;
    for (const entry of entries) {
      if (++seen > MAX_WALKED_ENTRIES) break;
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) pending.push(relative);
      } else if (entry.isFile() && isSecretPath(relative)) {
        const text = readRegularFile(path.join(root, relative), MAX_SECRET_FILE_BYTES);
        if (text !== undefined) for (const value of valuesOf(text)) if (!values.has(value)) values.set(value, relative);
      }
      yield undefined;
    }
  }
}

function readSync(absolute: string): Dirent[] | undefined {
  try {
    return readdirSync(absolute, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

/** `KEY=value` / `key: value` lines give their value; other non-blank lines (keys, tokens) are values whole. */
export function valuesOf(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || /^-----(BEGIN|END) /.test(line)) continue;
    // JSON-ish lines: each quoted value after a key (`"token": "…"`).
    for (const match of line.matchAll(/"[^"\\]{1,200}"\s*:\s*"([^"\\]{6,4096})"/g)) out.push(match[1] ?? '');
    if (line.startsWith('{') || line.startsWith('"')) continue;
    const assignment = /^(?:export\s+)?[\w.-]+\s*[:=]\s*(.*)$/.exec(line);
    const value = (assignment ? (assignment[1] ?? '') : line).trim().replace(/^(['"])(.*)\1$/, '$2');
    if (value.length >= MIN_VALUE_CHARS) out.push(value);
  }
  return out;
}

/** `text` with every known secret value replaced by a note naming its file; `count` replacements made. */
export function redactSecrets(text: string, secrets: SecretValues, extra: readonly string[] = []): { text: string; count: number } {
  let count = 0;
  let out = text;
  const all: Array<[string, string]> = [...secrets.values, ...extra.filter((value) => value.length >= MIN_VALUE_CHARS).map((value): [string, string] => [value, 'the API key'])];
  // Longest first, so a value that contains another is replaced whole.
  all.sort((a, b) => b[0].length - a[0].length);
  for (const [value, source] of all) {
    if (!out.includes(value)) continue;
    const parts = out.split(value);
    count += parts.length - 1;
    out = parts.join(`[secret from ${source} removed by Tandem]`);
  }
  return { text: out, count };
}
