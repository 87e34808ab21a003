import type * as vscode from 'vscode';
import type { ContextItem } from '../../../shared/protocol';
import type { ChipView, MentionOption } from '../../../shared/webviewProtocol';
import type { MentionKind } from '../../../shared/vocabulary';

/** A mention turned into context: the chip the person sees and what it sends. */
export interface ResolvedMention {
  chip: Omit<ChipView, 'id' | 'implicit' | 'tokens'>;
  /** Empty for a chip that sends nothing (its `excluded` says why). */
  items: ContextItem[];
}

export interface MentionChoices {
  options: MentionOption[];
  /** Why there are none, e.g. "No git repository in this workspace". */
  note?: string;
}

/**
 * One `@` kind. `options` answers the picker's second stage (absent: the kind
 * attaches at once); `resolve` reads the content when it is picked, or, for
 * `resolveAtSend` kinds (`@codebase`), when the question is sent.
 */
export interface MentionProvider {
  readonly kind: MentionKind;
  options?(query: string, token: vscode.CancellationToken): Promise<MentionChoices>;
  resolve(value: string, question: string): Promise<ResolvedMention>;
  /** Resolved with the question's text when it is sent (what to search for is only known then). */
  readonly resolveAtSend?: boolean;
}

/** Larger items are cut here; the service trims further to fit the budget. */
export const MAX_ITEM_CHARS = 200_000;

export function cap(text: string, max = MAX_ITEM_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}\n[... truncated by Tandem: ${text.length - max} more characters]` : text;
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
