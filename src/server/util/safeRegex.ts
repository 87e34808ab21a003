/**
 * Regular expressions from the model (`search_text`), run so that no pattern
 * can freeze the service. JavaScript's engine backtracks: `(a+)+$` on a line
 * of forty a's and a b takes longer than anyone waits, and the service has one
 * thread. Here patterns run on RE2 (re2js), whose time is linear in the text
 * for every pattern; JavaScript syntax is translated (jsToRe2.ts), and what
 * RE2 cannot run is refused with a message that says what to write instead.
 *
 * Linear is not yet cheap: a pattern's cost per character grows with its
 * compiled size (`.*e.{200}$` runs at microseconds per character), so a search
 * also has a budget (LineSearch): lines too long for the pattern are skipped,
 * and a search that runs slower than ordinary patterns do stops early. Every
 * skip and stop is reported with the results.
 */
import { RE2JS } from 're2js';
import { errorMessage } from '../../shared/guards';
import { PatternError, translate } from './jsToRe2';

export { PatternError } from './jsToRe2';

export interface SearchLimits {
  /** Longer patterns are refused. */
  maxPatternChars: number;
  /** Patterns compiling to more RE2 instructions are refused (repetition counts multiply). */
  maxProgramSize: number;
  /** Longest line searched, whatever the pattern. */
  maxLineChars: number;
  /**
   * What one match call may cost, in characters × program size²: on a cold
   * cache each character can make RE2 build a state the size of the program,
   * and hashing it costs its size again. Longer lines are skipped. A call
   * cannot be interrupted, so this bounds the longest stall.
   */
  lineWork: number;
  /** Characters searched per search in all. */
  maxTotalChars: number;
  /** Matching time after which a search that runs slower than `ordinary*` stops. */
  slowPatternMs: number;
  /** Matching time after which any search stops. */
  maxMatchMs: number;
  /** The most an ordinary pattern costs per character searched, and per line, in milliseconds. */
  ordinaryMsPerChar: number;
  ordinaryMsPerLine: number;
  /** Clock, in milliseconds. */
  now: () => number;
}

export const DEFAULT_SEARCH_LIMITS: Readonly<SearchLimits> = {
  maxPatternChars: 1000,
  maxProgramSize: 500,
  maxLineChars: 100_000,
  // Measured worst (cold) cost: about 0.1 ns per unit, so about 25 ms per call.
  lineWork: 250_000_000,
  maxTotalChars: 32 * 1024 * 1024,
  slowPatternMs: 30,
  maxMatchMs: 2000,
  // Ordinary patterns (literals, classes, short alternations) measure 3–25 ns per character
  // and under 1 µs per line; the allowance is several times that, for slower machines.
  ordinaryMsPerChar: 100e-6,
  ordinaryMsPerLine: 3e-3,
  now: () => performance.now(),
};

/** A compiled model pattern: `test` has `RegExp.prototype.test`'s meaning for the JavaScript source. */
export interface SafeRegex {
  readonly source: string;
  /** Number of RE2 instructions: the cost of one character at worst. */
  readonly programSize: number;
  test(text: string): boolean;
}

/** Compiles a model-supplied JavaScript pattern for RE2; throws PatternError when it is refused or invalid. */
export function compilePattern(pattern: string, limits: Pick<SearchLimits, 'maxPatternChars' | 'maxProgramSize'> = DEFAULT_SEARCH_LIMITS): SafeRegex {
  if (pattern.length > limits.maxPatternChars) {
    throw new PatternError(`The pattern is ${pattern.length} characters long; at most ${limits.maxPatternChars} are accepted. Search for a distinctive part of it.`);
  }
  const translated = translate(pattern);
  const tooLarge = `This pattern is too large for search_text: its repetitions expand to more than ${limits.maxProgramSize} steps. Use +, * or smaller counts.`;
  // Checked before compiling too: RE2 builds the whole program first, in time proportional to its size.
  if (translated.estimatedSize > 4 * limits.maxProgramSize) throw new PatternError(tooLarge);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(translated.source);
  } catch (error) {
    throw new PatternError(describeSyntaxError(error));
  }
  const programSize = compiled.programSize();
  if (programSize > limits.maxProgramSize) throw new PatternError(tooLarge);
  return { source: pattern, programSize, test: (text) => compiled.test(text) };
}

function describeSyntaxError(error: unknown): string {
  const message = errorMessage(error).replace(/^error parsing regexp: /, '');
  if (message.startsWith('invalid repeat count')) return `Repetition counts above 1000 are not supported (${message}); use + or *.`;
  return message;
}

type StopReason = 'slow' | 'time' | 'size';

/**
 * One search's use of a pattern, line by line, within a budget. `test` is
 * false for a line that was not searched; `stopped` turns true when the
 * budget is spent; `notes` says what was skipped, for the model.
 */
export class LineSearch {
  /** Lines longer than this are not searched: the pattern's cost per character allows no more in one call. */
  readonly maxLineChars: number;
  private matchMs = 0;
  private chars = 0;
  private lines = 0;
  private skippedLines = 0;
  private stopReason: StopReason | undefined;

  constructor(
    readonly regex: SafeRegex,
    private readonly limits: SearchLimits = DEFAULT_SEARCH_LIMITS,
  ) {
    const size = Math.max(1, regex.programSize);
    this.maxLineChars = Math.max(1, Math.min(limits.maxLineChars, Math.floor(limits.lineWork / (size * size))));
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  test(line: string): boolean {
    if (this.stopReason) return false;
    if (line.length > this.maxLineChars) {
      this.skippedLines += 1;
      return false;
    }
    if (this.chars + line.length > this.limits.maxTotalChars) {
      this.stopReason = 'size';
      return false;
    }
    const start = this.limits.now();
    const hit = this.regex.test(line);
    this.matchMs += this.limits.now() - start;
    this.chars += line.length;
    this.lines += 1;
    this.stopReason = this.overBudget();
    return hit;
  }

  private overBudget(): StopReason | undefined {
    const { limits, matchMs } = this;
    if (matchMs > limits.maxMatchMs) return 'time';
    const ordinary = this.chars * limits.ordinaryMsPerChar + this.lines * limits.ordinaryMsPerLine;
    if (matchMs > limits.slowPatternMs && matchMs > ordinary) return 'slow';
    return undefined;
  }

  /** What the results leave out, one bracketed line each; empty when the search was complete. */
  notes(): string[] {
    const notes: string[] = [];
    if (this.skippedLines > 0) {
      const why = this.maxLineChars < this.limits.maxLineChars ? ' (the limit is lower for a complex pattern)' : '';
      notes.push(`[${this.skippedLines} line${this.skippedLines === 1 ? '' : 's'} longer than ${this.maxLineChars} characters not searched${why}]`);
    }
    const ms = Math.round(this.matchMs);
    switch (this.stopReason) {
      case 'slow':
        notes.push(`[search stopped after ${ms} ms: this pattern is slow to run on these files, so the results are partial; use a simpler pattern (fewer wildcards and repetitions) or a narrower glob]`);
        break;
      case 'time':
        notes.push(`[search stopped after ${ms} ms, so the results are partial; use a narrower glob]`);
        break;
      case 'size':
        notes.push(`[search stopped after ${Math.round(this.chars / (1024 * 1024))} MB of text, so the results are partial; use a narrower glob]`);
        break;
    }
    return notes;
  }
}

/** A budgeted line search for a model-supplied pattern; throws PatternError when the pattern is refused. */
export function lineSearch(pattern: string, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): LineSearch {
  return new LineSearch(compilePattern(pattern, limits), limits);
}
