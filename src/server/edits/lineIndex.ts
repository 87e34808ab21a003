/**
 * Finds every place a block of lines occurs in a file, at one comparison
 * level, without scanning the file per block: each level's normalised lines
 * are indexed once (lazily), a block is looked up by its rarest line and only
 * those few candidates are verified.
 */
import { normalizeLine, type MatchLevel } from './normalize';

interface LevelIndex {
  keys: string[];
  positions: Map<string, number[]>;
}

export class LineIndex {
  private readonly levels = new Map<MatchLevel, LevelIndex>();

  constructor(readonly lines: readonly string[]) {}

  /**
   * 0-based start positions where `block` (non-empty) matches at `level`,
   * ascending. Only starts within [from, to] are returned.
   */
  findAll(block: readonly string[], level: MatchLevel, from = 0, to = Number.MAX_SAFE_INTEGER): number[] {
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
