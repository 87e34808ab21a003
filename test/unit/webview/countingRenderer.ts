import type { MarkdownRenderer } from '../../../media/chat/markdown';

/** A renderer that counts the characters it was given: the work a frame does. */
export function countingRenderer(inner: MarkdownRenderer): MarkdownRenderer & { chars: number } {
  const counting = {
    chars: 0,
    render(markdown: string) {
      counting.chars += markdown.length;
      return inner.render(markdown);
    },
    renderBlocks(blocks: readonly string[]) {
      counting.chars += blocks.reduce((sum, block) => sum + block.length, 0);
      return inner.renderBlocks(blocks);
    },
    codePiece(code: string, lang: string) {
      counting.chars += code.length;
      return inner.codePiece(code, lang);
    },
    prepare() {
      inner.prepare();
    },
  };
  return counting;
}
