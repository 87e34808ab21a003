/**
 * What a frame that renders answers must not also do: set up the markdown
 * libraries, or compile a grammar (each 5-30 ms, and with a slice of
 * rendering they made the frames that open a long chat 50-100 ms long).
 * They get frames of their own, before the slices that need them.
 */
import { compileGrammar, grammarsToCompile } from './languages';
import type { MarkdownRenderer } from './markdown';

/** How long a frame that compiles grammars goes on starting another (each takes 1-16 ms). */
const GRAMMAR_FRAME_MS = 10;

export class RenderPreparation {
  private prepared = false;

  constructor(
    private readonly renderer: MarkdownRenderer,
    private readonly now: () => number,
  ) {}

  /**
   * Prepares what rendering `next` (markdown) needs, if anything is left:
   * true when this frame went to that (the libraries, then its code's
   * grammars, GRAMMAR_FRAME_MS of them) and must render nothing more.
   */
  frame(next: string | undefined, started: number): boolean {
    if (!this.prepared) {
      this.prepared = true;
      this.renderer.prepare();
      return true;
    }
    const grammars = next === undefined ? [] : grammarsToCompile(next);
    for (const grammar of grammars) {
      compileGrammar(grammar);
      if (this.now() - started >= GRAMMAR_FRAME_MS) break;
    }
    return grammars.length > 0;
  }

  /** Whether rendering `markdown` would compile a grammar (it waits for a frame of `frame`'s). */
  needsFrame(markdown: string): boolean {
    return !this.prepared || grammarsToCompile(markdown).length > 0;
  }
}
