/**
 * The slice of the VS Code webview API the chat uses. Typed here because the
 * real object only exists inside a webview (`acquireVsCodeApi`, callable once).
 */
import type { FromWebview } from '../../src/shared/webviewProtocol';

export interface VsCodeApiLike {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** What survives the view being hidden (VS Code discards hidden webviews' DOM). */
export interface PersistedState {
  draft: string;
}

export function readPersistedState(api: VsCodeApiLike): PersistedState {
  const state = api.getState();
  if (typeof state === 'object' && state !== null && typeof (state as { draft?: unknown }).draft === 'string') {
    return { draft: (state as { draft: string }).draft };
  }
  return { draft: '' };
}

declare function acquireVsCodeApi(): VsCodeApiLike;

let api: VsCodeApiLike | undefined;

/** Returns the host API, acquiring it on first use (a second `acquireVsCodeApi` call throws). */
export function getVsCodeApi(): VsCodeApiLike {
  api ??= acquireVsCodeApi();
  return api;
}
