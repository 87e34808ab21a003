/**
 * What the `@` and `/` pickers list at each stage (pure, for unit tests):
 * the kinds of mention, the slash commands, and the extension's answers.
 */
import { rankByQuery } from '../../src/shared/mentions';
import type { MentionOption } from '../../src/shared/webviewProtocol';
import { MENTION_KINDS, SLASH_COMMANDS, type MentionKind, type SlashCommand } from '../../src/shared/vocabulary';

export type PickerAction =
  /** A kind with a second choice: the input becomes `@kind:` and the extension is asked. */
  | { type: 'chooseKind'; kind: MentionKind }
  /** Attach now (a kind without a second choice, or a second choice). */
  | { type: 'attach'; kind: MentionKind; value: string }
  | { type: 'slash'; command: SlashCommand };

export interface PickerChoice {
  label: string;
  detail: string;
  action: PickerAction;
  /** Listed but not pickable (shown as coming). */
  disabled?: boolean;
}

/** Kinds whose pick asks for a second choice (which file, folder, symbol; which problems). */
export const KINDS_WITH_OPTIONS: ReadonlySet<MentionKind> = new Set<MentionKind>(['file', 'folder', 'symbol', 'problems', 'mcp']);

const KIND_DETAILS: Record<MentionKind, string> = {
  file: 'A workspace file',
  folder: 'A folder: its tree and the files that fit',
  symbol: 'A class, function or other symbol',
  problems: 'Problems of the current file or workspace',
  changes: 'The working tree’s git diff',
  terminal: 'The terminal’s selection or last command output',
  codebase: 'Relevant code, searched with your question',
  mcp: 'A resource or prompt of an MCP server',
};

const SLASH_DETAILS: Record<SlashCommand, string> = {
  explain: 'Explain the selection or current file',
  fix: 'Fix the problem at the cursor',
  tests: 'Write tests for the selection or file',
  docs: 'Add documentation comments',
};

export function kindChoices(query: string, unavailable: readonly MentionKind[] = []): PickerChoice[] {
  return rankByQuery(query, MENTION_KINDS, (kind) => kind).map((kind) => {
    const disabled = unavailable.includes(kind);
    return {
      label: `@${kind}`,
      detail: disabled ? `${KIND_DETAILS[kind]} (coming)` : KIND_DETAILS[kind],
      action: KINDS_WITH_OPTIONS.has(kind) ? { type: 'chooseKind', kind } : { type: 'attach', kind, value: '' },
      ...(disabled ? { disabled } : {}),
    };
  });
}

export function slashChoices(query: string): PickerChoice[] {
  return rankByQuery(query, SLASH_COMMANDS, (command) => command).map((command) => ({
    label: `/${command}`,
    detail: SLASH_DETAILS[command],
    action: { type: 'slash', command },
  }));
}

export function optionChoices(kind: MentionKind, options: readonly MentionOption[]): PickerChoice[] {
  return options.map((option) => ({ label: option.label, detail: option.detail ?? '', action: { type: 'attach', kind, value: option.value } }));
}
