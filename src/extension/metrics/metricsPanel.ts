import * as vscode from 'vscode';
import { errorMessage } from '../../shared/guards';
import type { MetricsParams, MetricsResult } from '../../shared/metricsProtocol';
import { metricsTables, tablesToCsv } from '../../shared/metricsTables';
import { DEFAULT_RANGE, isFromMetricsView, rangeDates, type FromMetricsView, type MetricsRangeChoice, type ToMetricsView } from '../../shared/metricsViewProtocol';
import type { ServiceClient } from '../serviceClient';
import { userValue } from '../userSettings';
import { webviewHtml } from '../webviewHtml';

/**
 * Hosts the Metrics dashboard (media/metrics) in an editor tab: one panel,
 * revealed again when the command runs twice. The service computes the
 * figures from the audit trail (tandem/metrics); the page asks for a range
 * and draws what it is sent. Its messages are checked before they are acted
 * on; it gets the strict CSP with a per-load nonce. The CSV is written here,
 * from the report the service sent, to a file the person picks.
 */
export class MetricsPanel implements vscode.Disposable {
  static readonly viewType = 'tandem.metrics';
  private panel: vscode.WebviewPanel | undefined;
  private range: MetricsRangeChoice = { ...DEFAULT_RANGE };
  private last: { range: MetricsRangeChoice; result: MetricsResult } | undefined;
  /** Answers to older queries are dropped: only the latest one is shown. */
  private generation = 0;
  /** The first paint of the page, as it reported it (ms after it started loading); for the log and the tests. */
  firstPaintMs: number | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly service: Pick<ServiceClient, 'metrics'>,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens the dashboard, or brings it to the front and computes the figures again. */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      void this.query(this.range);
      return;
    }
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(MetricsPanel.viewType, 'Tandem Metrics', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [webviewRoot],
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icons', 'tandem.svg');
    panel.webview.html = webviewHtml(panel.webview, webviewRoot, 'metrics', 'Tandem Metrics');
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isFromMetricsView(message)) {
          this.log.warn('Ignored a malformed message from the metrics view.');
          return;
        }
        this.handle(message).catch((error: unknown) => this.log.error(`Metrics view action "${message.type}" failed: ${errorMessage(error)}`));
      }),
    ];
    panel.onDidDispose(() => {
      vscode.Disposable.from(...subscriptions).dispose();
      this.panel = undefined;
    });
    this.panel = panel;
  }

  /** A message the page sent, already checked. Public for the unit tests. */
  async handle(message: FromMetricsView): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.query(this.range);
      case 'query':
        return this.query(message.range);
      case 'exportCsv':
        return this.exportCsv();
      case 'painted':
        if (this.firstPaintMs === undefined) this.log.info(`Metrics dashboard: first figures drawn ${Math.round(message.ms)} ms after the page started loading.`);
        this.firstPaintMs ??= message.ms;
        return;
    }
  }

  private async query(range: MetricsRangeChoice): Promise<void> {
    const generation = ++this.generation;
    this.range = range;
    this.post({ type: 'loading' });
    try {
      const result = await this.service.metrics(metricsParams(range, new Date(), pricesSetting()));
      if (generation !== this.generation) return;
      this.last = { range, result };
      this.post({ type: 'result', range, result });
    } catch (error) {
      if (generation === this.generation) this.post({ type: 'error', message: errorMessage(error) });
    }
  }

  private async exportCsv(): Promise<void> {
    const shown = this.last;
    if (!shown) return;
    const { report } = shown.result;
    const span = `${report.range.since?.slice(0, 10) ?? 'start'}_to_${report.range.until?.slice(0, 10) ?? new Date().toISOString().slice(0, 10)}`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `tandem-metrics-${span}.csv`;
    const target = await vscode.window.showSaveDialog({
      title: 'Export Tandem metrics as CSV',
      saveLabel: 'Export',
      filters: { CSV: ['csv'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return;
    const heading = `Tandem metrics, ${report.range.since ?? 'the beginning'} to ${report.range.until ?? 'now'} (UTC), ${report.events} events`;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(tablesToCsv(metricsTables(report), heading)));
    void vscode.window.showInformationMessage(`Tandem: metrics saved to ${vscode.workspace.asRelativePath(target)}.`);
  }

  private post(message: ToMetricsView): void {
    void this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** The person's prices: user settings only (a repository must not make its costs look smaller). */
function pricesSetting(): unknown {
  return userValue(vscode.workspace.getConfiguration('tandem'), 'metrics.prices');
}

/** What the service is asked for a range choice, today, and the person's prices (checked by the service too). */
export function metricsParams(range: MetricsRangeChoice, now: Date, prices: unknown): MetricsParams {
  const dates = rangeDates(range, now);
  const params: MetricsParams = { ...dates };
  if (typeof prices === 'object' && prices !== null && !Array.isArray(prices)) params.prices = prices as NonNullable<MetricsParams['prices']>;
  return params;
}
