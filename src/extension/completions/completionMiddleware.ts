import * as vscode from 'vscode';
import { InlineCompletionRequest, type BaseLanguageClient, type Middleware } from 'vscode-languageclient/node';
import type { InlineCompletionFormatting } from '../../shared/protocol';
import { offLimitsReason } from '../offLimits';
import { affectsGate, enableMap, isEnabledFor } from './completionGate';

/** How long the off-limits answer for a document is reused (ignore files may change). */
const OFF_LIMITS_TTL_MS = 5_000;

/** What the middleware needs of the language client to send the request itself. */
export type InlineClient = Pick<BaseLanguageClient, 'sendRequest' | 'code2ProtocolConverter' | 'protocol2CodeConverter' | 'handleFailedRequest'>;

type InlineResult = vscode.InlineCompletionList | vscode.InlineCompletionItem[] | null | undefined;

/**
 * The editor's indentation for the document (its visible editor's options),
 * as LSP FormattingOptions' two fields; undefined when no editor shows it.
 */
export function editorFormatting(document: vscode.TextDocument): InlineCompletionFormatting['formattingOptions'] {
  const active = vscode.window.activeTextEditor;
  const editor = active?.document === document ? active : vscode.window.visibleTextEditors.find((candidate) => candidate.document === document);
  const { tabSize, insertSpaces } = editor?.options ?? {};
  return typeof tabSize === 'number' && typeof insertSpaces === 'boolean' ? { tabSize, insertSpaces } : undefined;
}

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
  /** The running language client, once there is one (see useClient). */
  private client: (() => InlineClient | undefined) | undefined;

  readonly middleware: Middleware = {
    provideInlineCompletionItems: async (document, position, context, token, next) => {
      // Asked on every keystroke: the switch is read from the settings once per change, not here.
      if (!isEnabledFor(document.languageId, this.gate) || this.offLimits(document.uri) !== undefined) {
        return null;
      }
      // No spinner here: most requests wait out the service's debounce; the service says when a model call is in flight.
      const formattingOptions = editorFormatting(document);
      const client = formattingOptions ? this.client?.() : undefined;
      const result = client && formattingOptions ? await this.request(client, document, position, context, formattingOptions, token) : await next(document, position, context, token);
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

  /** The language client the middleware sends requests with (it is built before the client exists). */
  useClient(client: () => InlineClient | undefined): void {
    this.client = client;
  }

  /**
   * The standard request plus the editor's indentation (Tandem's
   * `formattingOptions`): the language client's own provider cannot add a
   * property to the params, so this sends the request the way it does.
   */
  private async request(
    client: InlineClient,
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    formattingOptions: NonNullable<InlineCompletionFormatting['formattingOptions']>,
    token: vscode.CancellationToken,
  ): Promise<InlineResult> {
    const params = { ...client.code2ProtocolConverter.asInlineCompletionParams(document, position, context), formattingOptions };
    try {
      const result = await client.sendRequest(InlineCompletionRequest.type, params, token);
      return token.isCancellationRequested ? null : client.protocol2CodeConverter.asInlineCompletionResult(result, token);
    } catch (error) {
      return client.handleFailedRequest(InlineCompletionRequest.type, token, error, null);
    }
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
