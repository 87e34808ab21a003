/**
 * The inline-suggestion corpus: what a careful programmer expects to be
 * inserted, written from the behaviour we want (issue 11), one case per
 * object. A case is run at the service level — the real
 * textDocument/inlineCompletion path over the scripted model — once per
 * template it names, and passes when applying the returned item (its
 * insertText over its range) to the document gives exactly `after`.
 */

/** The classes of failure a case covers (one per case). */
export const CASE_CLASSES = [
  'closers', // 1. closers and quotes right of the cursor; what the item's range replaces
  'stops', // 2. where a multi-line suggestion ends (else/catch/elif, blank lines, open blocks)
  'overlap', // 3. overlap with the code after the cursor (next lines, rest of line)
  'repetition', // 4. a reply that repeats itself
  'junk', // 5. fences, echoed path comments, template tokens, stray leading characters
  'whitespace', // 6. whitespace at the cursor
  'indentation', // 7. indentation (editor tabSize/insertSpaces, detection, rescaling)
  'partial', // 8. completing a partly typed line: the current statement only
  'selection', // 9. the suggest widget's selected item (selectedCompletionInfo)
] as const;
export type CaseClass = (typeof CASE_CLASSES)[number];

/** The cursor in `doc` and `after`. */
export const CURSOR = '█';

export type TemplateKind = 'fim' | 'chat';

export interface CorpusCase {
  /** Unique, e.g. 'ts-closers-03'. */
  id: string;
  class: CaseClass;
  /** The VS Code language id of the document (typescript, python, go, rust, java, cpp, csharp, kotlin, ruby, php, json, yaml…). */
  language: string;
  /** The document with one CURSOR where the person is typing. '\n' line breaks. */
  doc: string;
  /** The model's raw answer with a fill-in-the-middle template (the text for the middle, as a model really sends it). */
  reply: string;
  /**
   * The model's raw answer with the chat template. Default: `reply` in a
   * fenced code block of the document's language.
   */
  chatReply?: string;
  /** Which templates the case runs with (default both). */
  templates?: readonly TemplateKind[];
  /**
   * The document after the person presses Tab, with CURSOR where the
   * inserted text ends; null when no suggestion should be shown at all.
   */
  after: string | null;
  /** The model's finish reason (default 'stop'; 'length' = cut by the token limit). */
  finishReason?: 'stop' | 'length';
  /** The editor's options for the document; absent = the client sends none (detection applies). */
  formatting?: { tabSize: number; insertSpaces: boolean };
  /**
   * The item selected in the suggest widget: it replaces the `replace` text
   * just before the cursor (possibly '') with `text`.
   */
  selected?: { replace: string; text: string };
  /** How the request was triggered (default 'automatic'; 'invoke' = Alt+\ / explicit). */
  trigger?: 'automatic' | 'invoke';
  /** Why this is the right answer, when it is not obvious. */
  note?: string;
}
