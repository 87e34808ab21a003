import * as vscode from 'vscode';
import { webviewHtml } from '../webviewHtml';
import { errorMessage } from '../../shared/guards';
import type { AuditQueryParams } from '../../shared/auditProtocol';
import { AUDIT_VIEW_PAGE, NO_FILTERS, isFromAuditView, typesOf, type AuditViewFilters, type FromAuditView, type ToAuditView } from '../../shared/auditViewProtocol';
import type { ServiceClient } from '../serviceClient';
import type { AuditDiffDocuments } from './auditDiffDocuments';

/**
 * Hosts the Audit Trail view (media/audit) in an editor tab: one panel,
 * revealed again when the command runs twice. The service reads the trail
 * (tandem/auditQuery); the panel only asks for pages and renders them. The
 * page's messages are checked before they are acted on; it gets a strict
 * CSP with a per-load nonce and only our bundled script and stylesheet.
 */
export class AuditTrailPanel implements vscode.Disposable {
  static readonly viewType = 'tandem.auditTrail';
  private panel: vscode.WebviewPanel | undefined;
  private filters: AuditViewFilters = { ...NO_FILTERS };
  private offset = 0;
  /** Answers to older queries are dropped: only the latest one is shown. */
  private generation = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly service: Pick<ServiceClient, 'auditQuery'>,
    private readonly diffs: AuditDiffDocuments,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens the view, or brings it to the front and reads the trail again. */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      void this.query(this.filters, this.offset);
      return;
    }
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(AuditTrailPanel.viewType, 'Tandem Audit Trail', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [webviewRoot],
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icons', 'tandem.svg');
    panel.webview.html = webviewHtml(panel.webview, webviewRoot, 'audit', 'Tandem Audit Trail');
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isFromAuditView(message)) {
          this.log.warn('Ignored a malformed message from the audit trail view.');
          return;
        }
        this.handle(message).catch((error: unknown) => this.log.error(`Audit trail view action "${message.type}" failed: ${errorMessage(error)}`));
      }),
    ];
    panel.onDidDispose(() => {
      vscode.Disposable.from(...subscriptions).dispose();
      this.panel = undefined;
    });
    this.panel = panel;
  }

  private async handle(message: FromAuditView): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.query(this.filters, this.offset);
      case 'query':
        return this.query(message.filters, message.offset);
      case 'openProposal':
        return this.diffs.openProposal(message.proposal);
    }
  }

  private async query(filters: AuditViewFilters, offset: number): Promise<void> {
    const generation = ++this.generation;
    this.filters = filters;
    this.offset = offset;
    this.post({ type: 'loading' });
    try {
      const result = await this.service.auditQuery(queryParams(filters, offset));
      if (generation === this.generation) this.post({ type: 'result', filters, result });
    } catch (error) {
      if (generation === this.generation) this.post({ type: 'error', message: errorMessage(error) });
    }
  }

  private post(message: ToAuditView): void {
    void this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** What the service is asked for the view's filters and page. */
export function queryParams(filters: AuditViewFilters, offset: number): AuditQueryParams {
  const types = typesOf(filters.group);
  return {
    offset,
    limit: AUDIT_VIEW_PAGE,
    ...(filters.path ? { path: filters.path } : {}),
    ...(types ? { types } : {}),
    ...(filters.since ? { since: filters.since } : {}),
    ...(filters.until ? { until: filters.until } : {}),
  };
}
