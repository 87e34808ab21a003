/**
 * The slice of the VS Code webview API the chat uses. Typed here because the
 * real object only exists inside a webview (`acquireVsCodeApi`, callable once).
 */
import type { FromWebview } from '../../src/shared/webviewProtocol';
import { readSaved, type SavedTranscript } from './savedTranscript';

export interface VsCodeApiLike {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** What survives the view being hidden (VS Code discards hidden webviews' DOM). */
export interface PersistedState {
  draft: string;
  /** The last screen of the chat shown (see savedTranscript.ts). */
  transcript?: SavedTranscript;
}

export function readPersistedState(api: VsCodeApiLike): PersistedState {
  const state = api.getState();
  if (typeof state !== 'object' || state === null) {
    return { draft: '' };
  }
  const { draft, transcript } = state as { draft?: unknown; transcript?: unknown };
  const saved = readSaved(transcript);
  return { draft: typeof draft === 'string' ? draft : '', ...(saved ? { transcript: saved } : {}) };
}

/** Replaces some fields of the saved state, keeping the others (the draft and the transcript are saved apart). */
export function persistState(api: VsCodeApiLike, patch: Partial<PersistedState>): void {
  const state = api.getState();
  const current = typeof state === 'object' && state !== null ? (state as Record<string, unknown>) : {};
  const next: Record<string, unknown> = { draft: current.draft, transcript: current.transcript, ...patch };
  // A field set to undefined is cleared (JSON drops it).
  api.setState(Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined)));
}

declare function acquireVsCodeApi(): VsCodeApiLike;

let api: VsCodeApiLike | undefined;

/** Returns the host API, acquiring it on first use (a second `acquireVsCodeApi` call throws). */
export function getVsCodeApi(): VsCodeApiLike {
  api ??= acquireVsCodeApi();
  return api;
}
