/**
 * Tells a partial acceptance (VS Code's "accept next word / line") from
 * typing. Pure: the caller feeds it the suggestion on show and each
 * document change. VS Code's stable API reports full acceptance (the item's
 * command) but not partial acceptance, so it is inferred: an insertion of two
 * or more characters at the suggestion's position that is a proper prefix of
 * what is left of the suggestion. Typing inserts one character at a time, so
 * it is not counted (auto-closed pairs aside).
 */
export class PartialAcceptTracker {
  private current: { id: string; uri: string; offset: number; text: string; accepted: number } | undefined;

  /** A suggestion is showing: `text` would be inserted at `offset` of `uri`. */
  shown(id: string, uri: string, offset: number, text: string): void {
    this.current = { id, uri, offset, text, accepted: 0 };
  }

  /** The suggestion was accepted whole or went away. */
  clear(): void {
    this.current = undefined;
  }

  /**
   * A change to a document. Returns the item and the characters accepted so
   * far when it was a partial acceptance, else undefined (and forgets the
   * suggestion when the change does not continue it).
   */
  change(uri: string, offset: number, removedLength: number, inserted: string): { id: string; acceptedChars: number } | undefined {
    const current = this.current;
    if (!current || current.uri !== uri) {
      return undefined;
    }
    const rest = current.text.slice(current.accepted);
    const at = current.offset + current.accepted;
    if (removedLength === 0 && offset === at && inserted.length > 0 && rest.startsWith(inserted) && inserted.length < rest.length) {
      current.accepted += inserted.length;
      return inserted.length >= 2 ? { id: current.id, acceptedChars: current.accepted } : undefined;
    }
    this.current = undefined;
    return undefined;
  }
}
