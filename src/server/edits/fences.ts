/**
 * Markdown code fences and shell heredocs around model output.
 */

export interface Fence {
  /** 0-based index of the opening fence line. */
  open: number;
  /** 0-based index of the closing fence line (lines.length when unclosed). */
  close: number;
  /** The info string after the opening backticks, trimmed (e.g. "ts src/a.ts"). */
  info: string;
  /** The opening fence line as written. */
  openLine: string;
  /** The lines between the fences. */
  content: string[];
}

const FENCE = /^(\s{0,3})(`{3,}|~{3,})(.*)$/;

/** Whether a line opens or closes a fence. */
export function isFenceLine(line: string): boolean {
  return FENCE.test(line);
}

/** The top-level fenced blocks of a text's lines, in order. */
export function findFences(lines: readonly string[]): Fence[] {
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) {
      continue;
    }
    const marker = open[2] ?? '```';
    const info = (open[3] ?? '').trim();
    if (marker.startsWith('`') && info.includes('`')) {
      continue;
    }
    let close = i + 1;
    for (; close < lines.length; close++) {
      const candidate = FENCE.exec(lines[close] ?? '');
      if (candidate && (candidate[2] ?? '').startsWith(marker[0] ?? '`') && (candidate[2] ?? '').length >= marker.length && (candidate[3] ?? '').trim() === '') {
        break;
      }
    }
    fences.push({ open: i, close, info, openLine: lines[i] ?? '', content: lines.slice(i + 1, close) });
    i = close;
  }
  return fences;
}

/** The terminator word of a heredoc opened on this line (`apply_patch <<'EOF'` → EOF). */
export function heredocTerminator(line: string): string | undefined {
  const match = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1\s*$/.exec(line.trim());
  return match ? match[2] : undefined;
}
