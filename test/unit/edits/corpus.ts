/**
 * The edit corpus under test/fixtures/edits/<case>/: `before/` (files before;
 * missing = no files), `patch.txt` (model output), and either `error.json`
 * ({kind, messageIncludes}) or `after/` (every file after; missing = none),
 * plus an optional `case.json` ({defaultPath, selection, description}).
 * Shared by the unit test, the CLI test and `npm run bench:edits`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { ChangeSet, EditFailure, EditFailureKind, EditOutcome } from '../../../src/shared/edits';

export const CORPUS_DIR = path.resolve(__dirname, '../../fixtures/edits');

const FAILURE_KINDS: readonly EditFailureKind[] = ['unparseable', 'notFound', 'ambiguous', 'placeholder', 'truncation', 'marker', 'missingFile', 'fileExists', 'badPath'];

export type Tree = Map<string, string>;

export interface ExpectedError {
  kind: EditFailureKind;
  messageIncludes: string[];
}

export interface CorpusCase {
  name: string;
  dir: string;
  before: Tree;
  patch: string;
  defaultPath?: string;
  selection?: { startLine: number; endLine: number };
  description?: string;
  expected: { kind: 'files'; files: Tree } | { kind: 'error'; error: ExpectedError };
}

/** Every file under `dir` (relative '/' paths → text); empty when `dir` does not exist. */
export function readTree(dir: string): Tree {
  const tree: Tree = new Map();
  if (!existsSync(dir)) {
    return tree;
  }
  for (const entry of readdirSync(dir, { recursive: true })) {
    const full = path.join(dir, String(entry));
    if (statSync(full).isFile()) {
      tree.set(String(entry).split(path.sep).join('/'), readFileSync(full, 'utf8'));
    }
  }
  return tree;
}

function readJson(file: string): unknown {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseError(value: unknown, name: string): ExpectedError {
  if (!isRecord(value) || typeof value.kind !== 'string' || !FAILURE_KINDS.includes(value.kind as EditFailureKind)) {
    throw new Error(`${name}/error.json: needs {"kind": one of ${FAILURE_KINDS.join(', ')}}`);
  }
  const includes = value.messageIncludes ?? [];
  if (!Array.isArray(includes) || !includes.every((item): item is string => typeof item === 'string')) {
    throw new Error(`${name}/error.json: messageIncludes must be a list of strings`);
  }
  return { kind: value.kind as EditFailureKind, messageIncludes: includes };
}

/** Loads one case directory. */
export function loadCase(dir: string): CorpusCase {
  const name = path.basename(dir);
  const meta = readJson(path.join(dir, 'case.json')) ?? {};
  if (!isRecord(meta)) {
    throw new Error(`${name}/case.json must be an object`);
  }
  const error = readJson(path.join(dir, 'error.json'));
  const result: CorpusCase = {
    name,
    dir,
    before: readTree(path.join(dir, 'before')),
    patch: readFileSync(path.join(dir, 'patch.txt'), 'utf8'),
    expected: error === undefined ? { kind: 'files', files: readTree(path.join(dir, 'after')) } : { kind: 'error', error: parseError(error, name) },
  };
  if (typeof meta.defaultPath === 'string') result.defaultPath = meta.defaultPath;
  if (typeof meta.description === 'string') result.description = meta.description;
  const selection = meta.selection;
  if (isRecord(selection) && typeof selection.startLine === 'number' && typeof selection.endLine === 'number') {
    result.selection = { startLine: selection.startLine, endLine: selection.endLine };
  }
  return result;
}

/** All cases, sorted by name. */
export function loadCorpus(root: string = CORPUS_DIR): CorpusCase[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => loadCase(path.join(root, name)));
}

/** The tree after applying a change set. */
export function applyToTree(tree: Tree, changeSet: ChangeSet): Tree {
  const next: Tree = new Map(tree);
  for (const change of changeSet.changes) {
    if (change.kind === 'delete') {
      next.delete(change.path);
    } else if (change.kind === 'add') {
      next.set(change.path, change.newText);
    } else {
      next.delete(change.path);
      next.set(change.moveTo ?? change.path, change.newText);
    }
  }
  return next;
}

/** The text with its line breaks written out (`\r\n`), so texts that differ only in them diff visibly. */
function showBreaks(text: string): string {
  return text.replace(/\r\n|\r|\n/g, (eol) => `${JSON.stringify(eol).slice(1, -1)}\n`);
}

/** A description of how two trees differ (a unified diff per differing file), or undefined when they are equal. */
export function treeDifference(actual: Tree, expected: Tree): string | undefined {
  const problems: string[] = [];
  for (const [file, text] of expected) {
    const got = actual.get(file);
    if (got === undefined) problems.push(`missing ${file}`);
    else if (got !== text) problems.push(createTwoFilesPatch(`${file} (expected)`, `${file} (actual)`, showBreaks(text), showBreaks(got)));
  }
  for (const file of actual.keys()) {
    if (!expected.has(file)) problems.push(`unexpected ${file}`);
  }
  return problems.length > 0 ? problems.join('\n') : undefined;
}

/** Why failures do not match the expected error, or undefined when they do. */
export function errorMismatch(failures: readonly EditFailure[], expected: ExpectedError): string | undefined {
  const messages = failures.map((failure) => failure.message).join('\n\n');
  if (!failures.some((failure) => failure.kind === expected.kind)) {
    return `expected a ${expected.kind} failure, got ${failures.map((failure) => failure.kind).join(', ')}:\n${messages}`;
  }
  const missing = expected.messageIncludes.filter((part) => !messages.includes(part));
  return missing.length > 0 ? `messages lack ${JSON.stringify(missing)}:\n${messages}` : undefined;
}

export type Verdict =
  | { kind: 'applied' }
  | { kind: 'refusedAsExpected' }
  | { kind: 'refusedUnexpectedly'; detail: string }
  | { kind: 'appliedWrongly'; detail: string };

/** Judges an outcome against a case's expectation. */
export function judge(corpusCase: CorpusCase, outcome: EditOutcome): Verdict {
  const expected = corpusCase.expected;
  if (outcome.ok) {
    if (expected.kind === 'error') {
      return { kind: 'appliedWrongly', detail: `expected a ${expected.error.kind} refusal, but it applied` };
    }
    const difference = treeDifference(applyToTree(corpusCase.before, outcome.changeSet), expected.files);
    return difference === undefined ? { kind: 'applied' } : { kind: 'appliedWrongly', detail: difference };
  }
  if (expected.kind === 'files') {
    return { kind: 'refusedUnexpectedly', detail: outcome.failures.map((failure) => `[${failure.kind}] ${failure.message}`).join('\n\n') };
  }
  const mismatch = errorMismatch(outcome.failures, expected.error);
  return mismatch === undefined ? { kind: 'refusedAsExpected' } : { kind: 'refusedUnexpectedly', detail: mismatch };
}
