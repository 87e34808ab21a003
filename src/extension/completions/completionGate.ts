import * as vscode from 'vscode';
import { DEFAULT_COMPLETIONS_ENABLE } from '../../shared/defaults';

const SECTION = 'tandem.completions';

/**
 * `tandem.completions.enable`: `{"*": bool, "<languageId>": bool}`, like
 * other assistants' per-language switches. A language's own entry wins over
 * "*".
 */
export function enableMap(): Record<string, boolean> {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('enable');
  const map: Record<string, boolean> = {};
  if (typeof value === 'object' && value !== null) {
    for (const [key, enabled] of Object.entries(value)) {
      if (typeof enabled === 'boolean') {
        map[key] = enabled;
      }
    }
  }
  return map;
}

export function isGloballyEnabled(map: Record<string, boolean> = enableMap()): boolean {
  return map['*'] ?? true;
}

export function isEnabledFor(languageId: string, map: Record<string, boolean> = enableMap()): boolean {
  return isGloballyEnabled(map) && (map[languageId] ?? DEFAULT_COMPLETIONS_ENABLE[languageId] ?? true);
}

/** Turns suggestions on or off everywhere (user settings), keeping per-language entries. */
export async function setGlobal(enabled: boolean): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('enable', { ...enableMap(), '*': enabled }, vscode.ConfigurationTarget.Global);
}

/** Turns suggestions on or off for one language (user settings). */
export async function setForLanguage(languageId: string, enabled: boolean): Promise<void> {
  const map = { ...enableMap(), [languageId]: enabled };
  if (enabled && !isGloballyEnabled(map)) {
    map['*'] = true;
    for (const [key, value] of Object.entries(DEFAULT_COMPLETIONS_ENABLE)) {
      map[key] ??= value;
    }
  }
  await vscode.workspace.getConfiguration(SECTION).update('enable', map, vscode.ConfigurationTarget.Global);
}

export function affectsGate(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.enable`);
}
