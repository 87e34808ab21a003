/**
 * The edit mutation corpus (test/fixtures/edits/mutations.json): valid
 * answers in every format, mutated (mutate.ts) with a seeded PRNG, checked in
 * so a reviewer can read the cases and regenerate them
 * (`npx tsx test/fixtures/edits/generate-mutations.ts`). Each case must apply
 * exactly as intended or be refused with a reason: never a marker line in a
 * file, never a partial application. Shared by test/security/editMutations.test.ts
 * and the bench:security figure (test/security/figures/edits.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdits } from '../../../../src/server/edits';
import type { EditFailure, FileChange } from '../../../../src/shared/edits';
import { seededRandom } from '../../../support/random';
import { cutMutants, endingMutants, headerMutants, markerMutants, orderMutants, wrapMutants, type Expect, type Mutant } from './mutate';
import { answerText, FORMATS, render, type Answer } from './render';
import { applyIntended, SCENARIOS, type Scenario, type Tree } from './scenarios';

// __filename, not __dirname: under tsx's ESM loader (scripts/*.mjs) __dirname is the importer's folder.
export const MUTATIONS_FILE = path.resolve(path.dirname(__filename), '../../../fixtures/edits/mutations.json');
export const SEED = 20_240_909;

export interface MutationBase {
  /** The files before the edit. */
  files: Tree;
  /** Acceptable results: 'full' (every edit), 'prefix:k' (the first k blocks, for an answer cut after them). */
  trees: Record<string, Tree>;
}

export interface MutationCase {
  name: string;
  base: string;
  text: string;
  defaultPath?: string;
  expect: Expect;
  /** Keys of `trees` an application may produce; empty: it must be refused. */
  accept: string[];
}

export interface MutationCorpus {
  about: string;
  seed: number;
  bases: Record<string, MutationBase>;
  cases: MutationCase[];
}

/** How many lines each marker operator mutates per answer. */
const PER_OPERATOR = 1;
/** Scenarios whose answers are cut after every line (the others at a few random lines). */
const CUT_EVERY_LINE = new Set(['one-line', 'two-files', 'new-file']);
const RANDOM_CUTS = 4;
const MID_LINE_CUTS = 2;

/** The files that existed before as CRLF files (a new file is written with LF). */
function crlf(before: Tree): (tree: Tree) => Tree {
  return (tree) => Object.fromEntries(Object.entries(tree).map(([file, content]) => [file, file in before ? content.replace(/\n/g, '\r\n') : content]));
}

/** Every other line of the files that existed before ending with CRLF; edits that replace line for line keep each line's own ending. */
function mixed(before: Tree): (tree: Tree) => Tree {
  const convert = (content: string): string =>
    content
      .split('\n')
      .map((line, i, all) => (i === all.length - 1 ? line : `${line}${i % 2 === 1 ? '\r\n' : '\n'}`))
      .join('');
  return (tree) => Object.fromEntries(Object.entries(tree).map(([file, content]) => [file, file in before ? convert(content) : content]));
}

function baseTrees(scenario: Scenario, answer: Answer, convert: (tree: Tree) => Tree): MutationBase {
  const trees: Record<string, Tree> = { full: convert(applyIntended(scenario.files, scenario.edits)) };
  for (let k = 1; k < answer.blocks.length; k++) {
    trees[`prefix:${k}`] = convert(applyIntended(scenario.files, answer.blocks.slice(0, k).flat()));
  }
  return { files: convert(scenario.files), trees };
}

function textOf(mutant: Mutant): string {
  let text = answerText(mutant.lines);
  if (mutant.noFinalNewline) text = text.replace(/\n$/, '');
  if (mutant.crlf) text = text.replace(/\n/g, '\r\n');
  return text;
}

/** Generates the corpus (deterministic: one seeded PRNG, a fixed order). */
export function generateMutationCorpus(): MutationCorpus {
  const random = seededRandom(SEED);
  const bases: Record<string, MutationBase> = {};
  const cases: MutationCase[] = [];
  for (const scenario of SCENARIOS) {
    const paths = [...new Set(scenario.edits.map((edit) => edit.path))];
    for (const format of FORMATS) {
      const answer = render(scenario, format);
      if (!answer) continue;
      const base = `${scenario.name}/${format}`;
      bases[base] = baseTrees(scenario, answer, (tree) => tree);
      const seen = new Set<string>();
      const add = (mutant: Mutant, baseName = base): void => {
        const text = textOf(mutant);
        if (seen.has(`${baseName}\n${text}`) || text.trim() === '') return;
        seen.add(`${baseName}\n${text}`);
        cases.push({
          name: `${baseName}: ${mutant.mutation}`,
          base: baseName,
          text,
          ...(scenario.defaultPath !== undefined ? { defaultPath: scenario.defaultPath } : {}),
          expect: mutant.expect,
          accept: mutant.accept,
        });
      };
      add({ mutation: 'as rendered', lines: answer.lines, expect: 'apply', accept: ['full'] });
      for (const mutant of markerMutants(answer, paths, random, PER_OPERATOR)) add(mutant);
      for (const mutant of headerMutants(answer, paths, random, PER_OPERATOR)) add(mutant);
      for (const mutant of orderMutants(answer)) add(mutant);
      for (const mutant of wrapMutants(answer)) add(mutant);
      for (const mutant of endingMutants(answer)) add(mutant);
      const cuts = cutMutants(answer, random, MID_LINE_CUTS);
      const lineCuts = cuts.filter((mutant) => !mutant.noFinalNewline);
      const chosen = CUT_EVERY_LINE.has(scenario.name) ? lineCuts : Array.from({ length: RANDOM_CUTS }, () => lineCuts[Math.floor(random() * lineCuts.length)]);
      for (const mutant of [...chosen, ...cuts.filter((cut) => cut.noFinalNewline)]) if (mutant) add(mutant);
      // The same answer against CRLF files, and (when the edits replace line for line) a mixed CRLF/LF file.
      bases[`${base}+crlf`] = baseTrees(scenario, answer, crlf(scenario.files));
      add({ mutation: 'CRLF files', lines: answer.lines, expect: 'apply', accept: ['full'] }, `${base}+crlf`);
      if (scenario.oneForOne) {
        bases[`${base}+mixed`] = baseTrees(scenario, answer, mixed(scenario.files));
        add({ mutation: 'mixed CRLF/LF files', lines: answer.lines, expect: 'apply', accept: ['full'] }, `${base}+mixed`);
      }
    }
  }
  return {
    about: 'Generated by test/fixtures/edits/generate-mutations.ts from test/unit/edits/mutations/ (do not edit by hand). Each case must apply to one of its accepted trees or be refused.',
    seed: SEED,
    bases,
    cases,
  };
}

/** The corpus as checked in: stable JSON, one case per line, so a diff shows what changed. */
export function serializeCorpus(corpus: MutationCorpus): string {
  const bases = Object.entries(corpus.bases).map(([name, base]) => `    ${JSON.stringify(name)}: ${JSON.stringify(base)}`);
  const cases = corpus.cases.map((mutationCase) => `    ${JSON.stringify(mutationCase)}`);
  return `{\n  "about": ${JSON.stringify(corpus.about)},\n  "seed": ${corpus.seed},\n  "bases": {\n${bases.join(',\n')}\n  },\n  "cases": [\n${cases.join(',\n')}\n  ]\n}\n`;
}

export function loadMutationCorpus(file = MUTATIONS_FILE): MutationCorpus {
  return JSON.parse(readFileSync(file, 'utf8')) as MutationCorpus;
}

export type MutationVerdict =
  | { kind: 'appliedCorrectly'; tree: string }
  | { kind: 'refused'; failures: EditFailure[] }
  | { kind: 'appliedWrongly'; detail: string };

export interface MutationResult {
  verdict: MutationVerdict;
  /** Marker-looking lines the applied change wrote that no acceptable result has. */
  markerLines: string[];
  /** The outcome contradicts the case's `expect` (a refusal of a well-formed answer, or an application of one that must be refused). */
  unexpected?: string;
}

/**
 * Marker-looking lines, broadly (an independent check, not the engine's rule):
 * SEARCH/REPLACE and conflict runs, Roo hints, apply_patch headers, diff headers.
 */
const MARKER_LIKE = /^\s*(?:<{3,}|>{3,}|={5,}|-{5,}|\+{5,}|:(?:start|end)_line:|\*{3}\s*(?:begin|end|update|add|delete|move)|@@|diff --git|(?:---|\+\+\+) (?:a\/|b\/|\/dev\/null))/i;

function treeAfter(before: Tree, changes: readonly FileChange[]): Tree {
  const tree: Tree = { ...before };
  for (const change of changes) {
    if (change.kind === 'delete') delete tree[change.path];
    else if (change.kind === 'add') tree[change.path] = change.newText;
    else {
      delete tree[change.path];
      tree[change.moveTo ?? change.path] = change.newText;
    }
  }
  return tree;
}

function sameTree(a: Tree, b: Tree): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Runs one case through the engine and judges the outcome. */
export function runMutationCase(corpus: MutationCorpus, mutationCase: MutationCase): MutationResult {
  const base = corpus.bases[mutationCase.base];
  if (!base) throw new Error(`${mutationCase.name}: no base ${mutationCase.base}`);
  const outcome = applyEdits({
    text: mutationCase.text,
    readFile: (file) => base.files[file],
    ...(mutationCase.defaultPath !== undefined ? { defaultPath: mutationCase.defaultPath } : {}),
  });
  if (!outcome.ok) {
    const unexpected = mutationCase.expect === 'apply' ? `refused a well-formed answer: ${outcome.failures.map((failure) => `[${failure.kind}] ${failure.message}`).join('\n')}` : undefined;
    return { verdict: { kind: 'refused', failures: outcome.failures }, markerLines: [], ...(unexpected ? { unexpected } : {}) };
  }
  const changes = outcome.changeSet.changes;
  const tree = treeAfter(base.files, changes);
  const acceptable = mutationCase.accept.map((key) => base.trees[key]).filter((candidate): candidate is Tree => candidate !== undefined);
  // Lines the intended results have (a markdown underline, a numpydoc rule) are content, not written markers.
  const known = new Set(Object.values(base.trees).flatMap((candidate) => Object.values(candidate).flatMap((content) => content.split(/\r?\n/))));
  const markerLines = changes
    .flatMap((change) => (change.kind === 'delete' ? [] : change.newText.split(/\r?\n/)))
    .filter((line) => MARKER_LIKE.test(line) && !known.has(line));
  const matched = mutationCase.accept.find((key) => base.trees[key] !== undefined && sameTree(tree, base.trees[key] as Tree));
  if (matched === undefined) {
    const expected = acceptable[0];
    const differing = Object.keys({ ...tree, ...(expected ?? {}) }).filter((file) => tree[file] !== expected?.[file]);
    return {
      verdict: { kind: 'appliedWrongly', detail: `applied, but ${mutationCase.accept.length === 0 ? 'it must be refused' : `not as intended (${differing.join(', ')} differ)`}` },
      markerLines,
    };
  }
  const unexpected = mutationCase.expect === 'refuse' ? 'applied an answer that must be refused' : undefined;
  return { verdict: { kind: 'appliedCorrectly', tree: matched }, markerLines, ...(unexpected ? { unexpected } : {}) };
}

export interface MutationFigures {
  cases: number;
  appliedCorrectly: number;
  refused: number;
  appliedWrongly: number;
  markerLinesWritten: number;
}

/** Runs every case and counts the outcomes. */
export function mutationFigures(corpus: MutationCorpus = loadMutationCorpus()): MutationFigures {
  const figures: MutationFigures = { cases: 0, appliedCorrectly: 0, refused: 0, appliedWrongly: 0, markerLinesWritten: 0 };
  for (const mutationCase of corpus.cases) {
    const result = runMutationCase(corpus, mutationCase);
    figures.cases++;
    figures[result.verdict.kind]++;
    figures.markerLinesWritten += result.markerLines.length;
  }
  return figures;
}
