/**
 * What opens a block, per language family: a line ending with an opening
 * bracket or arrow, a `:` header in indentation-based languages, and the
 * keyword blocks of Ruby, Lua and the like (`def x`, `items.each do |i|`,
 * `if x then`). Shared by the rules that need to know where a block starts.
 * Pure.
 */

/** Languages whose blocks are made by indentation (a `:` header opens one). */
export const INDENTED_LANGUAGES: ReadonlySet<string> = new Set(['python', 'yaml', 'coffeescript', 'nim', 'haml', 'pug', 'sass', 'fsharp']);
/** Languages whose blocks open with a keyword and close with `end`. */
export const KEYWORD_BLOCK_LANGUAGES: ReadonlySet<string> = new Set(['ruby', 'lua', 'elixir', 'crystal', 'julia', 'shellscript', 'vb']);

/** Headers that always open a body; conditions do unless `then` is followed by code on the line; `else` alone. */
const KEYWORD_HEADER = /^\s*(def|class|module|function|defmodule|defp?|local\s+function)\b/;
const KEYWORD_CONDITION = /^\s*(if|unless|while|until|for|case|elsif|when|rescue)\b/;
const KEYWORD_ALONE = /^\s*(else|ensure|begin|do)\s*$/;

/** Whether a (whole) line opens a block or bracket that the lines after it fill. */
export function opensBlock(line: string, languageId: string): boolean {
  const code = line.trimEnd();
  if (/[{([]$|=>$|->$/.test(code)) {
    return true;
  }
  if (languageId === 'yaml') {
    // `key:` opens a mapping, `- ` a list item; in `image: node:` the last `:` is part of a value.
    return (/:$/.test(code) && !/:\s/.test(code.slice(0, -1))) || /(^|\s)-$/.test(code);
  }
  if (INDENTED_LANGUAGES.has(languageId)) {
    return /:$/.test(code);
  }
  if (/(?<![.\w])(do(\s*\|[^|]*\|)?|then)$/.test(code)) {
    return true;
  }
  if (!KEYWORD_BLOCK_LANGUAGES.has(languageId) || /\bend$/.test(code)) {
    return false;
  }
  return KEYWORD_HEADER.test(code) || KEYWORD_ALONE.test(code) || (KEYWORD_CONDITION.test(code) && !/\bthen\s+\S/.test(code));
}

/** A line that only closes a block: brackets and punctuation, or a block-end keyword. */
export function isClosingLine(line: string): boolean {
  return /^[\s)\]};,.]*$/.test(line) ? /[)\]}]/.test(line) : /^\s*(end|fi|done|esac|endif|endfor|endwhile|endfunction|End\s+\w+)\b[\s;,.)]*$/.test(line);
}
