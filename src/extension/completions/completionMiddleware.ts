import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { offLimitsReason } from '../offLimits';
import { affectsGate, enableMap, isEnabledFor } from './completionGate';

/** How long the off-limits answer for a document is reused (ignore files may change). */
const OFF_LIMITS_TTL_MS = 5_000;

/** The first suggestion of an answer, as the editor will show it. */
export interface ShownSuggestion {
  document: vscode.TextDocument;
  position: vscode.Position;
  item: vscode.InlineCompletionItem;
}

/**
 * The language client's inline completion middleware: no request where the
 * person switched suggestions off or the file is off limits, and word of
 * each suggestion shown. It is built before the service client (which takes
 * it when it is constructed), so it needs nothing from the service: the
 * completion controller reports what `onDidShow` says.
 */
export class CompletionMiddleware implements vscode.Disposable {
  /** `tandem.completions.enable`, kept current by the configuration listener. */
  private gate = enableMap();
  private offLimitsCache: { key: string; at: number; reason: string | undefined } | undefined;
  private readonly shown = new vscode.EventEmitter<ShownSuggestion>();
  readonly onDidShow = this.shown.event;
  private readonly disposables: vscode.Disposable[] = [this.shown];

  readonly middleware: Middleware = {
    provideInlineCompletionItems: async (document, position, context, token, next) => {
      // Asked on every keystroke: the switch is read from the settings once per change, not here.
      if (!isEnabledFor(document.languageId, this.gate) || this.offLimits(document.uri) !== undefined) {
        return null;
      }
      // No spinner here: most requests wait out the service's debounce; the service says when a model call is in flight.
      const result = await next(document, position, context, token);
      const first = (Array.isArray(result) ? result : (result?.items ?? []))[0];
      if (first && !token.isCancellationRequested) {
        this.shown.fire({ document, position, item: first });
      }
      return result;
    },
  };

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsGate(event)) {
          this.gate = enableMap();
        }
      }),
    );
  }

  /** Why suggestions are never made in `uri` (a secret, an ignored file, a link out), cached briefly: asked on every keystroke. */
  offLimits(uri: vscode.Uri): string | undefined {
    const key = uri.toString();
    const now = Date.now();
    if (this.offLimitsCache?.key !== key || now - this.offLimitsCache.at > OFF_LIMITS_TTL_MS) {
      this.offLimitsCache = { key, at: now, reason: offLimitsReason(uri) };
    }
    return this.offLimitsCache.reason;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
