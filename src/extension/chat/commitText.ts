/** The model's reply as a commit message (no `vscode`: unit-tested). */

/** No code fence around it, no leading or trailing blank lines. */
export function cleanMessage(text: string): string {
  const fenced = /^\s*```[\w-]*\n([\s\S]*?)(?:\n```\s*)?$/.exec(text);
  return (fenced ? (fenced[1] ?? '') : text).replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}
