/**
 * Finds every place a block of lines occurs in a file, at one comparison
 * level, without scanning the file per block: each level's normalised lines
 * are indexed once (lazily), a block is looked up by its rarest line and only
 * those few candidates are verified.
 *
 * Over a `FileText`, exact matches are first found by searching the text for
 * the block's longest line (a native string search per block, no per-line
 * strings or map): most patches match exactly, and a process applying one
 * patch would spend more building the index than using it. Once those
 * searches have read the text 64 times over, the index is built as above,
 * so many blocks on a large file cost no more than before.
 */
import { FileText } from './fileText';
import { normalizeLine, type MatchLevel } from './normalize';

/** How many times over exact searches may read the text before the exact index is built instead. */
const SEARCH_BUDGET_TEXTS = 64;

interface LevelIndex {
  keys: string[];
  positions: Map<string, number[]>;
}

export class LineIndex {
  private readonly levels = new Map<MatchLevel, LevelIndex>();
  /** Characters exact searches may still read (see above). */
  private searchBudget: number;

  constructor(private readonly source: readonly string[] | FileText) {
    this.searchBudget = source instanceof FileText ? SEARCH_BUDGET_TEXTS * Math.max(source.text.length, 1024) : 0;
  }

  /** The file's lines (over a `FileText`, built on first use). */
  get lines(): readonly string[] {
    return this.source instanceof FileText ? this.source.lines : this.source;
  }

  get count(): number {
    return this.source instanceof FileText ? this.source.count : this.source.length;
  }

  /**
   * 0-based start positions where `block` (non-empty) matches at `level`,
   * ascending. Only starts within [from, to] are returned.
   */
  findAll(block: readonly string[], level: MatchLevel, from = 0, to = Number.MAX_SAFE_INTEGER): number[] {
    if (level === 'exact' && this.source instanceof FileText && !this.levels.has(level) && this.searchBudget > 0) {
      return this.searchExact(this.source, block, from, to);
    }
    const { keys, positions } = this.level(level);
    const wanted = block.map((line) => normalizeLine(level, line));
    let pivot = -1;
    let pivotPositions: number[] = [];
    for (let i = 0; i < wanted.length; i++) {
      const found = positions.get(wanted[i] ?? '');
      if (!found) {
        return [];
      }
      if (pivot < 0 || found.length < pivotPositions.length) {
        pivot = i;
        pivotPositions = found;
      }
    }
    const starts: number[] = [];
    const last = Math.min(to, keys.length - wanted.length);
    for (const position of pivotPositions) {
      const start = position - pivot;
      if (start < from || start > last) {
        continue;
      }
      let same = true;
      for (let i = 0; i < wanted.length && same; i++) {
        same = keys[start + i] === wanted[i];
      }
      if (same) {
        starts.push(start);
      }
    }
    return starts;
  }

  /**
   * `findAll` at the exact level by searching the text for the block's
   * longest line: every place the block matches has it at a line's start,
   * and each such place is checked line by line. (Searching for the whole
   * block joined by the file's line break measured no faster.)
   */
  private searchExact(file: FileText, block: readonly string[], from: number, to: number): number[] {
    let pivot = 0;
    for (let i = 1; i < block.length; i++) {
      if ((block[i] ?? '').length > (block[pivot] ?? '').length) pivot = i;
    }
    const needle = block[pivot] ?? '';
    const starts: number[] = [];
    const last = Math.min(to, file.count - block.length);
    const consider = (line: number): void => {
      const start = line - pivot;
      if (start < from || start > last) return;
      for (let i = 0; i < block.length; i++) {
        if (!file.lineIs(start + i, block[i] ?? '')) return;
      }
      starts.push(start);
    };
    this.searchBudget -= file.text.length + file.count;
    if (needle === '') {
      // Every line is empty: a search would stop at every character.
      for (let line = 0; line < file.count; line++) {
        if (file.lineIs(line, '')) consider(line);
      }
      return starts;
    }
    const { text } = file;
    for (let at = text.indexOf(needle); at >= 0; ) {
      const line = file.lineAt(at);
      if (file.startOf(line) === at) consider(line);
      // A match starts at a line's start, so the next one starts on a later line.
      const next = file.startOf(line + 1);
      if (next >= text.length) break;
      at = text.indexOf(needle, next);
    }
    return starts;
  }

  private level(level: MatchLevel): LevelIndex {
    let index = this.levels.get(level);
    if (!index) {
      const keys = level === 'exact' ? [...this.lines] : this.lines.map((line) => normalizeLine(level, line));
      const positions = new Map<string, number[]>();
      keys.forEach((key, i) => {
        const list = positions.get(key);
        if (list) {
          list.push(i);
        } else {
          positions.set(key, [i]);
        }
      });
      index = { keys, positions };
      this.levels.set(level, index);
    }
    return index;
  }
}
