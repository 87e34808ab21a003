/**
 * Metrics dashboard webview entry (bundled to dist/webview/metrics.js with
 * metrics.css beside it, uPlot's stylesheet included). The view itself is in
 * view.ts so tests mount it under jsdom; charts.ts draws with uPlot.
 */
import 'uplot/dist/uPlot.min.css';
import '../shared/panel.css';
import './metrics.css';
import { isToMetricsView } from '../../src/shared/metricsViewProtocol';
import { renderChart } from './charts';
import { mountMetricsView, type MetricsViewApi } from './view';

declare function acquireVsCodeApi(): MetricsViewApi;

const root = document.getElementById('root');
if (root) {
  const view = mountMetricsView(root, acquireVsCodeApi(), renderChart);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isToMetricsView(event.data)) view.receive(event.data);
  });
  // VS Code sets the theme's kind as a class of <body> (vscode-light, vscode-dark, vscode-high-contrast…) and
  // its colours as variables on <html>: redraw the charts when either changes.
  const themeChanged = new MutationObserver(() => view.redraw());
  themeChanged.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  themeChanged.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  let resizing: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => view.redraw(), 150);
  });
}
