/**
 * A fast first look before the shared rules (rules.ts), which cost
 * microseconds per path: too much for every entry of a large workspace
 * before every command. A glob's last segment can only match names with
 * its literal beginning and end (`*.pem` needs `.pem` at the end,
 * `.env.*` needs `.env.` at the start), so a name that fits none of the
 * patterns is not looked at further. Only ever a necessary condition: the
 * rules decide. Pure.
 */

const WILDCARD = /[*?[\]{}\\]/;

interface Shape {
  prefix: string;
  suffix: string;
  /** Literal runs between wildcards: each must be in the name. */
  inner: string[];
}

/**
 * A one-name glob as literal runs and the wildcards between them: `[…]`,
 * `{…}`, `*`, `?` and escapes count as wildcards. Always starts and ends
 * with a run ('' when the glob starts or ends with a wildcard).
 */
function literalRuns(lower: string): string[] {
  const runs: string[] = [''];
  let depth = 0;
  let inClass = false;
  const wildcard = (): void => {
    if (runs.at(-1) !== '') runs.push('');
    else if (runs.length === 1) runs.push('');
  };
  for (let index = 0; index < lower.length; index++) {
    const char = lower[index]!;
    if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') {
      inClass = true;
      wildcard();
    } else if (char === '{') {
      depth++;
      wildcard();
    } else if (char === '}') {
      depth = Math.max(0, depth - 1);
    } else if (depth > 0) {
      // Inside a choice: nothing here is required.
    } else if (char === '*' || char === '?') {
      wildcard();
    } else if (char === '\\') {
      index++;
      wildcard();
    } else {
      runs[runs.length - 1] += char;
    }
  }
  return runs;
}

function shapeOf(segment: string): Shape {
  const runs = literalRuns(segment.toLowerCase());
  return { prefix: runs[0] ?? '', suffix: runs.length > 1 ? (runs.at(-1) ?? '') : '', inner: runs.slice(1, -1).filter((run) => run.length > 0) };
}

export class NameHint {
  private readonly exact = new Set<string>();
  private readonly shapes: Shape[] = [];
  private readonly any: boolean;

  /** `segments`: the name part of each pattern (a glob over one name). */
  constructor(segments: readonly string[]) {
    let any = false;
    for (const segment of segments) {
      if (!WILDCARD.test(segment)) {
        this.exact.add(segment.toLowerCase());
        continue;
      }
      const shape = shapeOf(segment);
      if (!shape.prefix && !shape.suffix && shape.inner.length === 0) any = true;
      this.shapes.push(shape);
    }
    this.any = any;
  }

  /** False only when no pattern can match `name`. */
  mayMatch(name: string): boolean {
    if (this.any) return true;
    const lower = name.toLowerCase();
    if (this.exact.has(lower)) return true;
    return this.shapes.some(
      (shape) =>
        lower.length >= shape.prefix.length + shape.suffix.length &&
        lower.startsWith(shape.prefix) &&
        lower.endsWith(shape.suffix) &&
        shape.inner.every((run) => lower.includes(run)),
    );
  }
}

/** The last segment of each pattern; patterns ending in `/**` give the segment before (the folder). */
export function lastSegments(patterns: readonly string[], which: 'names' | 'folders'): string[] {
  const out: string[] = [];
  for (const pattern of patterns) {
    // Choices spanning folders (`{a/b,c}`): no shape to read, anything may match.
    if (/\{[^}]*\//.test(pattern)) {
      out.push('*');
      continue;
    }
    const parts = pattern.split('/');
    const folder = parts.at(-1) === '**';
    if ((which === 'folders') !== folder) continue;
    out.push((folder ? parts.at(-2) : parts.at(-1)) ?? '*');
  }
  return out;
}
