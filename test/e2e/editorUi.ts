/**
 * The workbench as a person drives it from the keyboard: the active editor and tab,
 * Quick Open, Go to Line, notifications. Shared by the E2E suites that open files and
 * select lines before running a Tandem command.
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

export interface EditorUi {
  /** The editor of the active group: a plain editor, or both sides of a diff. */
  editorPart(): Locator;
  activeTab(): Locator;
  quickInput(): Locator;
  notification(text: string | RegExp): Locator;
  /** Opens a workspace file with Quick Open (Ctrl+P) and puts the cursor at its start. */
  openFile(relative: string): Promise<void>;
  /** Selects whole lines `from`..`to` (1-based) with the keyboard: Ctrl+G, then Shift+Down. */
  selectLines(from: number, to: number): Promise<void>;
}

/** `page` is read on each call: suites assign it in their `before` hook. */
export function editorUi(page: () => Page): EditorUi {
  const editorPart = (): Locator => page().locator('.part.editor .editor-group-container.active');
  const activeTab = (): Locator => page().locator('.part.editor .tabs-container .tab.active');
  const quickInput = (): Locator => page().locator('.quick-input-widget .quick-input-box input');
  const notification = (text: string | RegExp): Locator => page().locator('.notifications-toasts .notification-toast-container', { hasText: text });

  async function openFile(relative: string): Promise<void> {
    await page().keyboard.press('Control+P');
    await quickInput().waitFor({ state: 'visible' });
    await quickInput().fill(relative);
    const name = path.basename(relative);
    const label = page().locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
    await page().locator('.quick-input-widget .monaco-list-row', { has: label }).first().click();
    await activeTab().filter({ hasText: name }).waitFor();
    await editorPart().locator('.monaco-editor .view-lines').first().waitFor();
    // VS Code restores the last cursor and selection of a file: start clean.
    await page().keyboard.press('Control+Home');
  }

  async function selectLines(from: number, to: number): Promise<void> {
    await page().keyboard.press('Control+G');
    await quickInput().waitFor({ state: 'visible' });
    await quickInput().fill(`:${from}`);
    await quickInput().press('Enter');
    await quickInput().waitFor({ state: 'hidden' });
    await page().keyboard.press('Home');
    await page().keyboard.press('Home');
    for (let line = from; line <= to; line++) await page().keyboard.press('Shift+ArrowDown');
    await page().locator('.statusbar-item', { hasText: / selected\)/ }).first().waitFor();
  }

  return { editorPart, activeTab, quickInput, notification, openFile, selectLines };
}
