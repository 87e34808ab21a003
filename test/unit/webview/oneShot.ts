import type { Dom } from '../../../media/chat/dom';
import type { MarkdownRenderer } from '../../../media/chat/markdown';
import { ManualScheduler } from '../../../media/chat/scheduler';
import { StreamingMarkdown } from '../../../media/chat/streamingMarkdown';

/** The page `text` gives rendered at once: what any streaming of it must end as. */
export function renderOneShot(dom: Dom, renderer: MarkdownRenderer, text: string): string {
  const view = new StreamingMarkdown(dom, renderer, new ManualScheduler(), () => undefined);
  view.append(text);
  view.settle();
  return view.element.innerHTML;
}
