import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import type { UiMessage } from '../../../src/shared/webviewProtocol';

export const EXTENSION_ID = 'tandem-dev.tandem';

export async function tandemApi(): Promise<TandemApi> {
  const extension = vscode.extensions.getExtension<TandemApi | undefined>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  }
  const api = extension.isActive ? extension.exports : await extension.activate();
  if (!api) {
    throw new Error('Tandem failed to activate');
  }
  await api.serviceReady();
  return api;
}

/**
 * Waits for a condition that has no event of its own (state in another
 * process), checking often and failing with a description after a bound.
 */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, description: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Points Tandem at the scripted server and waits until the service has taken the settings. */
export async function configure(api: TandemApi, baseUrl: string, model: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('tandem');
  await config.update('baseUrl', baseUrl, vscode.ConfigurationTarget.Global);
  await config.update('model', model, vscode.ConfigurationTarget.Global);
  await waitFor(async () => {
    const info = await api.serviceInfo();
    return info.status.baseUrl === baseUrl && info.status.model === model;
  }, `the service to use ${model} at ${baseUrl}`);
}

export function lastAnswer(api: TandemApi): UiMessage {
  const messages = api.chat.state().messages;
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'assistant') {
    throw new Error('the chat has no answer yet');
  }
  return last;
}
