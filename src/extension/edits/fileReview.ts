/**
 * One file of a proposal under review, without VS Code: its hunks, what the
 * person decided about each, where each pending hunk is in the file as it is
 * now, and what accepting some of them would change. The review manager reads
 * the file, asks this model, applies the plan as a WorkspaceEdit and commits.
 */
import type { FileChange } from '../../shared/edits';
import {
  applyReplacements,
  countChanges,
  diffLines,
  hunkReplacement,
  relocateHunk,
  sameLines,
  splitLines,
  splitText,
  withContext,
  type ContextHunk,
  type DiffHunk,
  type Eol,
  type TextReplacement,
} from '../../shared/diff';

export type HunkState = 'pending' | 'accepted' | 'rejected' | 'stale';
export type FileState = 'pending' | 'accepted' | 'rejected' | 'stale';
/** `refused`: accepting was asked for, but the hunk no longer fits the file. */
export type HunkDecision = 'pending' | 'accepted' | 'rejected' | 'refused';

/** The file as it is now: in its (maybe unsaved) editor, else on disk. */
export interface CurrentFile {
  exists: boolean;
  /** '' when the file does not exist. */
  text: string;
  /** The break new lines get; default: the text's first, else '\n'. */
  eol?: Eol;
  /** For a move not yet applied: whether something already exists at the new path. */
  targetExists?: boolean;
}

export interface ReviewHunk {
  readonly index: number;
  /** Old and new lines; `oldStart` refers to the proposal's old text. */
  readonly hunk: DiffHunk;
  decision: HunkDecision;
  /** The hunk with the lines around it where it was last known to be. */
  context: ContextHunk;
  /** Its line in `tracked` (the text we last knew the file to have), when known. */
  start: number | undefined;
  /** Why it was refused, for `refused` hunks. */
  reason?: string;
}

/** Where a pending hunk is in the current text, or why it cannot be applied. */
export type HunkLocation =
  | { index: number; status: 'found'; start: number; replacement: TextReplacement }
  | { index: number; status: 'stale'; reason: string };

/** A pending hunk as it shows on each side of the diff. */
export interface HunkLayout {
  index: number;
  stale: boolean;
  reason?: string;
  /** First line of the hunk in the current file (for stale hunks: a best guess). */
  actualLine: number;
  actualLines: number;
  /** First line of the hunk in the proposal document. */
  proposalLine: number;
  proposalLines: number;
}

/** What accepting some hunks of this file does to it. */
export interface FilePlan {
  file: FileReview;
  /** Hunks this plan applies. */
  apply: number[];
  /** Hunks asked for that cannot be applied, with the reason. */
  refuse: Array<{ index: number; reason: string }>;
  /** 'edit': text replacements on the file (after the rename, if any). */
  operation: 'edit' | 'create' | 'delete' | 'none';
  /** Applies the move of the file (before the edits). */
  rename?: { from: string; to: string };
  /** For 'edit', against the current text; for 'create', one insertion of the whole text. */
  replacements: TextReplacement[];
  /** The file's text once the plan is applied ('' for a delete). */
  resultText: string;
  /** Where every pending hunk is in the current text (to follow the others after the edit). */
  locations: HunkLocation[];
}

export const STALE_EDITED = 'the file was edited there after the proposal';
export const STALE_AMBIGUOUS = 'the lines it changes now appear in more than one place';
export const STALE_MISSING = 'the file no longer exists';
export const STALE_OVERLAP = 'it overlaps another change';

export class FileReview {
  readonly kind: FileChange['kind'];
  /** The path the proposal names (before a move). */
  readonly path: string;
  /** Where the file ends up: the new path of a move, else `path`. */
  readonly targetPath: string;
  readonly hunks: ReviewHunk[];
  readonly added: number;
  readonly removed: number;
  /** Whether the move (if any) has been applied: the file is at `targetPath` now. */
  moved = false;
  private tracked: string[];

  constructor(
    readonly id: number,
    readonly change: FileChange,
  ) {
    this.kind = change.kind;
    this.path = change.path;
    this.targetPath = change.kind === 'update' && change.moveTo ? change.moveTo : change.path;
    const oldText = change.kind === 'add' ? '' : change.oldText;
    this.tracked = splitLines(oldText);
    let hunks: DiffHunk[];
    if (change.kind === 'add') {
      hunks = [{ oldStart: 0, oldLines: [], newLines: splitLines(change.newText) }];
      ({ added: this.added, removed: this.removed } = { added: lineCount(change.newText), removed: 0 });
    } else if (change.kind === 'delete') {
      hunks = [{ oldStart: 0, oldLines: splitLines(change.oldText), newLines: [] }];
      ({ added: this.added, removed: this.removed } = { added: 0, removed: lineCount(change.oldText) });
    } else {
      hunks = diffLines(change.oldText, change.newText);
      if (hunks.length === 0 && change.moveTo) {
        // A pure move: one change that edits nothing.
        hunks = [{ oldStart: 0, oldLines: [], newLines: [] }];
      }
      ({ added: this.added, removed: this.removed } = countChanges(hunks));
    }
    this.hunks = hunks.map((hunk, index) => ({ index, hunk, decision: 'pending', context: withContext(hunk, this.tracked), start: hunk.oldStart }));
  }

  /** The path of the file in the workspace now. */
  get currentPath(): string {
    return this.moved ? this.targetPath : this.path;
  }

  get isMove(): boolean {
    return this.targetPath !== this.path;
  }

  /** Every hunk is decided (accepted, rejected or refused). */
  get done(): boolean {
    return this.hunks.every((hunk) => hunk.decision !== 'pending');
  }

  pending(): ReviewHunk[] {
    return this.hunks.filter((hunk) => hunk.decision === 'pending');
  }

  /** Where each pending hunk is in `current`, or why it cannot be applied there. */
  locate(current: CurrentFile): Map<number, HunkLocation> {
    const pending = this.pending();
    const result = new Map<number, HunkLocation>();
    const staleAll = (reason: string): Map<number, HunkLocation> => {
      for (const hunk of pending) result.set(hunk.index, { index: hunk.index, status: 'stale', reason });
      return result;
    };
    if (this.kind === 'add') {
      if (current.exists) return staleAll(`a file already exists at ${this.path}`);
      const text = this.change.kind === 'add' ? this.change.newText : '';
      for (const hunk of pending) {
        result.set(hunk.index, { index: hunk.index, status: 'found', start: 0, replacement: insertAll(text) });
      }
      return result;
    }
    if (!current.exists) return staleAll(STALE_MISSING);
    if (this.kind === 'delete') {
      if (!sameLines(current.text, this.tracked)) return staleAll('the file was edited after the proposal');
      const split = splitText(current.text);
      const end = { line: split.lines.length - 1, character: (split.lines.at(-1) ?? '').length };
      for (const hunk of pending) {
        result.set(hunk.index, { index: hunk.index, status: 'found', start: 0, replacement: { startOffset: 0, endOffset: current.text.length, start: { line: 0, character: 0 }, end, text: '' } });
      }
      return result;
    }
    if (this.isMove && !this.moved && current.targetExists) return staleAll(`a file already exists at ${this.targetPath}`);

    const split = splitText(current.text);
    const unchanged = sameLines(split.lines, this.tracked);
    const found: Array<{ hunk: ReviewHunk; start: number }> = [];
    for (const hunk of pending) {
      if (unchanged && hunk.start !== undefined) {
        found.push({ hunk, start: hunk.start });
        continue;
      }
      const relocation = relocateHunk(hunk.context, split.lines);
      if (relocation.status === 'found') {
        found.push({ hunk, start: relocation.start });
      } else {
        result.set(hunk.index, { index: hunk.index, status: 'stale', reason: relocation.status === 'ambiguous' ? STALE_AMBIGUOUS : STALE_EDITED });
      }
    }
    // Hunks found where they would overlap (the person moved code around) cannot both apply.
    found.sort((a, b) => a.start - b.start || a.hunk.hunk.oldLines.length - b.hunk.hunk.oldLines.length || a.hunk.index - b.hunk.index);
    let previous: TextReplacement | undefined;
    let previousEnd = 0;
    for (const { hunk, start } of found) {
      const replacement = hunkReplacement(split, hunk.hunk, start, current.eol);
      if (previous && (start < previousEnd || replacement.startOffset < previous.endOffset)) {
        result.set(hunk.index, { index: hunk.index, status: 'stale', reason: STALE_OVERLAP });
        continue;
      }
      result.set(hunk.index, { index: hunk.index, status: 'found', start, replacement });
      previous = replacement;
      previousEnd = start + hunk.hunk.oldLines.length;
    }
    return result;
  }

  hunkState(hunk: ReviewHunk, locations: Map<number, HunkLocation>): HunkState {
    switch (hunk.decision) {
      case 'accepted':
      case 'rejected':
        return hunk.decision;
      case 'refused':
        return 'stale';
      case 'pending':
        return locations.get(hunk.index)?.status === 'stale' ? 'stale' : 'pending';
    }
  }

  state(locations: Map<number, HunkLocation>): FileState {
    const pending = this.pending();
    if (pending.length > 0) {
      return pending.some((hunk) => locations.get(hunk.index)?.status === 'stale') ? 'stale' : 'pending';
    }
    if (this.hunks.some((hunk) => hunk.decision === 'accepted')) return 'accepted';
    if (this.hunks.some((hunk) => hunk.decision === 'refused')) return 'stale';
    return 'rejected';
  }

  /** The proposal document: the current text with every pending hunk that fits applied. */
  proposal(current: CurrentFile, locations = this.locate(current)): { text: string; layout: HunkLayout[] } {
    if (this.kind === 'add') {
      const text = this.change.kind === 'add' ? this.change.newText : '';
      const pending = this.pending();
      const [first] = pending;
      const stale = first !== undefined && locations.get(first.index)?.status === 'stale';
      const lines = splitLines(text).length;
      return { text, layout: pending.map((hunk) => ({ index: hunk.index, stale, ...staleReason(locations, hunk), actualLine: 0, actualLines: 0, proposalLine: 0, proposalLines: lines })) };
    }
    if (this.kind === 'delete') {
      const pending = this.pending();
      const [first] = pending;
      const found = first !== undefined && locations.get(first.index)?.status === 'found';
      const lines = splitLines(current.text).length;
      return {
        text: found ? '' : current.text,
        layout: pending.map((hunk) => ({ index: hunk.index, stale: !found, ...staleReason(locations, hunk), actualLine: 0, actualLines: lines, proposalLine: 0, proposalLines: 0 })),
      };
    }
    const placed = [...locations.values()].filter((l): l is Extract<HunkLocation, { status: 'found' }> => l.status === 'found').sort((a, b) => a.replacement.startOffset - b.replacement.startOffset || a.start - b.start);
    const text = current.exists ? applyReplacements(current.text, placed.map((l) => l.replacement)) : '';
    const layout: HunkLayout[] = [];
    let shift = 0;
    for (const location of placed) {
      const { hunk } = this.hunkAt(location.index);
      layout.push({ index: location.index, stale: false, actualLine: location.start, actualLines: hunk.oldLines.length, proposalLine: location.start + shift, proposalLines: hunk.newLines.length });
      shift += hunk.newLines.length - hunk.oldLines.length;
    }
    const lastLine = Math.max(0, splitLines(text).length - 1);
    for (const location of locations.values()) {
      if (location.status === 'stale') {
        const hunk = this.hunkAt(location.index);
        const guess = Math.min(hunk.start ?? hunk.hunk.oldStart, lastLine);
        layout.push({ index: location.index, stale: true, reason: location.reason, actualLine: guess, actualLines: 0, proposalLine: guess, proposalLines: 0 });
      }
    }
    layout.sort((a, b) => a.proposalLine - b.proposalLine || a.index - b.index);
    return { text, layout };
  }

  /** What accepting `indices` (pending ones; others are ignored) would do to `current`. */
  plan(current: CurrentFile, indices: readonly number[], locations = this.locate(current)): FilePlan {
    const wanted = new Set(indices.filter((index) => this.hunks[index]?.decision === 'pending'));
    const apply: number[] = [];
    const refuse: FilePlan['refuse'] = [];
    const replacements: TextReplacement[] = [];
    const all = [...locations.values()].sort((a, b) => a.index - b.index);
    for (const location of all) {
      if (!wanted.has(location.index)) {
        continue;
      } else if (location.status === 'stale') {
        refuse.push({ index: location.index, reason: location.reason });
      } else {
        apply.push(location.index);
        replacements.push(location.replacement);
      }
    }
    replacements.sort((a, b) => a.startOffset - b.startOffset || a.endOffset - b.endOffset);
    const plan: FilePlan = { file: this, apply, refuse, operation: 'none', replacements: [], resultText: current.text, locations: all };
    if (apply.length === 0) {
      return plan;
    }
    if (this.kind === 'add') {
      const text = this.change.kind === 'add' ? this.change.newText : '';
      return { ...plan, operation: 'create', replacements: text ? [insertAll(text)] : [], resultText: text };
    }
    if (this.kind === 'delete') {
      return { ...plan, operation: 'delete', resultText: '' };
    }
    const edits = replacements.filter((r) => r.text !== '' || r.startOffset !== r.endOffset);
    return {
      ...plan,
      operation: 'edit',
      replacements: edits,
      resultText: applyReplacements(current.text, edits),
      ...(this.isMove && !this.moved ? { rename: { from: this.path, to: this.targetPath } } : {}),
    };
  }

  /** Records a plan that was applied: its hunks are accepted, the others are followed into the new text. */
  commit(plan: FilePlan): void {
    for (const index of plan.apply) {
      this.hunkAt(index).decision = 'accepted';
    }
    if (plan.rename) {
      this.moved = true;
    }
    if (plan.operation !== 'edit') {
      return;
    }
    const appliedIndices = new Set(plan.apply);
    const appliedStarts = plan.locations.flatMap((location) =>
      appliedIndices.has(location.index) && location.status === 'found' ? [{ index: location.index, start: location.start, hunk: this.hunkAt(location.index).hunk }] : [],
    );
    this.tracked = splitLines(plan.resultText);
    for (const location of plan.locations) {
      const hunk = this.hunkAt(location.index);
      if (hunk.decision !== 'pending') continue;
      if (location.status !== 'found') {
        hunk.start = undefined;
        continue;
      }
      let shift = 0;
      for (const applied of appliedStarts) {
        const before =
          applied.start < location.start ||
          (applied.start === location.start && applied.hunk.oldLines.length === 0 && (hunk.hunk.oldLines.length > 0 || applied.index < hunk.index));
        if (before) {
          shift += applied.hunk.newLines.length - applied.hunk.oldLines.length;
        }
      }
      hunk.start = location.start + shift;
      hunk.context = withContext({ ...hunk.hunk, oldStart: hunk.start }, this.tracked);
    }
  }

  /** Rejects (or refuses, with a reason) pending hunks; others are left as they are. */
  decide(indices: readonly number[], decision: 'rejected' | 'refused', reasons?: Map<number, string>): number {
    let count = 0;
    for (const index of indices) {
      const hunk = this.hunks[index];
      if (hunk?.decision === 'pending') {
        hunk.decision = decision;
        const reason = reasons?.get(index);
        if (reason) hunk.reason = reason;
        count++;
      }
    }
    return count;
  }

  /** The hunk a location or a plan of this file names (they name only this file's hunks). */
  private hunkAt(index: number): ReviewHunk {
    const hunk = this.hunks[index];
    if (!hunk) throw new RangeError(`no hunk ${index} in the review of ${this.path}`);
    return hunk;
  }
}

/** Lines as a person counts them: a final line break does not start another line. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const lines = splitLines(text);
  return lines.at(-1) === '' ? lines.length - 1 : lines.length;
}

function insertAll(text: string): TextReplacement {
  return { startOffset: 0, endOffset: 0, start: { line: 0, character: 0 }, end: { line: 0, character: 0 }, text };
}

function staleReason(locations: Map<number, HunkLocation>, hunk: ReviewHunk): { reason?: string } {
  const location = locations.get(hunk.index);
  return location?.status === 'stale' ? { reason: location.reason } : {};
}
