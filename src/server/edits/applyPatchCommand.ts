/**
 * `tandem apply-patch [--cwd DIR] [--dry-run] [--allow-protected] [--path FILE [--lines A-B]]`:
 * reads model output (any supported format) on stdin and applies it to the
 * files under DIR, all or nothing. Exit 0 on success, 1 when the edit is
 * refused or cannot be written (reasons on stderr), 2 on a usage error.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ChangeSet } from '../../shared/edits';
import { applyEdits, describeFailures } from './index';
import { nodeWriteFs, writeChanges } from './writeChanges';
import { readRegularFile, WorkspaceBoundary } from '../../shared/boundary/boundary';
import { errorMessage } from '../../shared/guards';

export interface ApplyPatchOptions {
  cwd: string;
  dryRun: boolean;
  /** Also write protected paths (.git, .vscode, CI files, agent rules), which are refused otherwise. */
  allowProtected?: boolean;
  /** For SEARCH/REPLACE blocks and code blocks without a path. */
  defaultPath?: string;
  /** 0-based [startLine, endLine) for a code block replacing part of defaultPath. */
  selection?: { startLine: number; endLine: number };
}

export type ParsedArgs = { ok: true; options: ApplyPatchOptions } | { ok: true; help: true } | { ok: false; message: string };

export const APPLY_PATCH_HELP = `Usage: tandem apply-patch [--cwd DIR] [--dry-run] [--allow-protected] [--path FILE [--lines A-B]]

Reads an edit on stdin (apply_patch patch, SEARCH/REPLACE blocks, unified diff,
or a code block) and applies it to the files under DIR (default: the current
directory), all or nothing. Paths are decided on their real location: a path
outside DIR (also through a symbolic link) or a secrets file is refused.

  --cwd DIR     folder the patch's paths are relative to
  --dry-run     print {"files": {path: newText | null}, "format": ...} as JSON; write nothing
  --allow-protected
                also write protected paths (.git, .vscode, CI files, agent rules)
  --path FILE   file for SEARCH/REPLACE blocks or a code block that name none
  --lines A-B   with --path: a code block replaces lines A to B (1-based, inclusive)

Exit status: 0 applied, 1 refused or not written (reasons on stderr), 2 usage error.
`;

/** Parses the command's arguments (after `apply-patch`). Pure apart from `process.cwd()` as the default. */
export function parseApplyPatchArgs(args: readonly string[], defaultCwd: string = process.cwd()): ParsedArgs {
  const options: ApplyPatchOptions = { cwd: defaultCwd, dryRun: false };
  let lines: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 && name !== arg ? arg.slice(eq + 1) : args[++i]);
    switch (name) {
      case '--help':
      case '-h':
        return { ok: true, help: true };
      case '--dry-run':
        options.dryRun = true;
        break;
      case '--allow-protected':
        options.allowProtected = true;
        break;
      case '--cwd': {
        const dir = value();
        if (!dir) return { ok: false, message: '--cwd needs a folder.' };
        options.cwd = path.resolve(defaultCwd, dir);
        break;
      }
      case '--path': {
        const file = value();
        if (!file) return { ok: false, message: '--path needs a file path.' };
        options.defaultPath = file.replace(/\\/g, '/');
        break;
      }
      case '--lines':
        lines = value();
        if (!lines) return { ok: false, message: '--lines needs a range such as 10-20.' };
        break;
      default:
        return { ok: false, message: `Unknown argument “${arg}”.` };
    }
  }
  if (lines !== undefined) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(lines);
    const first = Number(match?.[1]);
    const last = Number(match?.[2] ?? match?.[1]);
    if (!match || first < 1 || last < first - 1) {
      return { ok: false, message: `--lines needs a range such as 10-20 (1-based, inclusive), not “${lines}”.` };
    }
    if (options.defaultPath === undefined) {
      return { ok: false, message: '--lines needs --path.' };
    }
    options.selection = { startLine: first - 1, endLine: last };
  }
  return { ok: true, options };
}

/** Files the CLI reads for an edit are at most this large. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Reads files under `root` for the engine through the workspace boundary:
 * paths outside it (also through a symbolic link), secrets, folders and
 * unreadable files count as missing.
 */
export function fileReader(root: string | WorkspaceBoundary): (file: string) => string | undefined {
  const boundary = typeof root === 'string' ? cliBoundary(root) : root;
  return (file: string): string | undefined => {
    const decision = boundary.decide(file, 'read');
    return decision.action === 'refuse' ? undefined : readRegularFile(decision.absolute, MAX_FILE_BYTES);
  };
}

/** The CLI's boundary: links followed, secrets refused; ignore files do not apply (nothing is sent anywhere). */
function cliBoundary(root: string): WorkspaceBoundary {
  return new WorkspaceBoundary(root, { ignoreFiles: false });
}

/**
 * Every path the change set writes, decided by the boundary: refusals (a
 * path outside `root`, through a link, a secret), and protected paths, which
 * the CLI writes only with --allow-protected.
 */
export function checkWrites(changeSet: ChangeSet, boundary: WorkspaceBoundary, allowProtected: boolean): { ok: true; resolve: (file: string) => string } | { ok: false; reasons: string[] } {
  const reasons: string[] = [];
  const targets = new Map<string, string>();
  for (const change of changeSet.changes) {
    for (const file of change.kind === 'update' && change.moveTo !== undefined ? [change.path, change.moveTo] : [change.path]) {
      const decision = boundary.decide(file, 'write');
      if (decision.action === 'refuse') reasons.push(`Refused: ${decision.reason}`);
      else if (decision.action === 'ask' && !allowProtected) reasons.push(`Refused: ${decision.reason} Pass --allow-protected to write it.`);
      else targets.set(file, decision.absolute);
    }
  }
  if (reasons.length > 0) return { ok: false, reasons };
  return { ok: true, resolve: (file) => targets.get(file) ?? path.resolve(boundary.root, file) };
}

/** The --dry-run JSON: every touched path with its new text, null for files that go away. */
export function dryRunJson(changeSet: ChangeSet): string {
  const files: Record<string, string | null> = {};
  for (const change of changeSet.changes) {
    if (change.kind === 'delete') {
      files[change.path] = null;
    } else if (change.kind === 'update' && change.moveTo !== undefined) {
      files[change.path] = null;
      files[change.moveTo] = change.newText;
    } else {
      files[change.path] = change.newText;
    }
  }
  return `${JSON.stringify({ files, format: changeSet.format }, null, 2)}\n`;
}

function summary(changeSet: ChangeSet): string {
  return changeSet.changes
    .map((change) => {
      if (change.kind === 'delete') return `deleted ${change.path}`;
      if (change.kind === 'add') return `added ${change.path}`;
      return change.moveTo !== undefined ? `moved ${change.path} -> ${change.moveTo}` : `updated ${change.path}`;
    })
    .join('\n');
}

async function readStdin(stdin: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface CommandIo {
  /** process.stdin, or any source of its chunks (the bin reads fd 0 without loading Node's streams). */
  stdin: AsyncIterable<Buffer | string>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Runs `tandem apply-patch`; resolves to the exit code. */
export async function runApplyPatch(args: readonly string[], io: CommandIo = process): Promise<number> {
  const parsed = parseApplyPatchArgs(args);
  if (!parsed.ok) {
    io.stderr.write(`tandem apply-patch: ${parsed.message}\n\n${APPLY_PATCH_HELP}`);
    return 2;
  }
  if ('help' in parsed) {
    io.stdout.write(APPLY_PATCH_HELP);
    return 0;
  }
  const { options } = parsed;
  if (!existsSync(options.cwd) || !statSync(options.cwd).isDirectory()) {
    io.stderr.write(`tandem apply-patch: --cwd ${options.cwd} is not a folder.\n`);
    return 2;
  }
  const text = await readStdin(io.stdin);
  const boundary = cliBoundary(options.cwd);
  const outcome = applyEdits({
    text,
    readFile: fileReader(boundary),
    ...(options.defaultPath !== undefined ? { defaultPath: options.defaultPath } : {}),
    ...(options.selection !== undefined ? { selection: options.selection } : {}),
  });
  if (!outcome.ok) {
    // A path the boundary refuses reads as missing: say why rather than "not found".
    const failures = outcome.failures.map((failure) => {
      const decision = failure.kind === 'missingFile' && failure.path !== undefined ? boundary.decide(failure.path, 'write') : undefined;
      return decision?.action === 'refuse' ? { ...failure, kind: 'badPath' as const, message: `Refused: ${decision.reason}` } : failure;
    });
    io.stderr.write(`${describeFailures(failures)}\n`);
    return 1;
  }
  const writes = checkWrites(outcome.changeSet, boundary, options.allowProtected === true);
  if (!writes.ok) {
    io.stderr.write(`${writes.reasons.join('\n')}\n`);
    return 1;
  }
  if (options.dryRun) {
    io.stdout.write(dryRunJson(outcome.changeSet));
    return 0;
  }
  try {
    writeChanges(options.cwd, outcome.changeSet, nodeWriteFs, (_root, file) => writes.resolve(file));
  } catch (error) {
    io.stderr.write(`tandem apply-patch: could not write the changes, nothing was changed: ${errorMessage(error)}\n`);
    return 1;
  }
  io.stdout.write(`${summary(outcome.changeSet)}\n`);
  return 0;
}
