/**
 * The item selected in the suggest widget (LSP
 * `InlineCompletionContext.selectedCompletionInfo`): VS Code shows an inline
 * suggestion then only if it starts with that item's text over the item's
 * range. Pure.
 */

export interface SelectedItem {
  /** The text the selected item replaces: from its range start to the cursor. */
  replaced: string;
  /** The selected item's text. */
  text: string;
}

/**
 * Rule: with a selected item, the suggestion is what was typed over the
 * item's range plus the suggestion; it is shown only when that starts with
 * the item's text and adds something to it. Returns the text to insert from
 * the item's range start, or undefined for no suggestion.
 */
export function withSelectedItem(suggestion: string, selected: SelectedItem): string | undefined {
  const whole = selected.replaced + suggestion;
  return whole.startsWith(selected.text) && whole.length > selected.text.length ? whole : undefined;
}
