/**
 * Audit Trail webview entry (bundled to dist/webview/audit.js with audit.css
 * beside it). The view itself is in view.ts so tests mount it under jsdom.
 */
import '../shared/panel.css';
import './audit.css';
import { isToAuditView } from '../../src/shared/auditViewProtocol';
import { mountAuditView, type AuditViewApi } from './view';

declare function acquireVsCodeApi(): AuditViewApi;

const root = document.getElementById('root');
if (root) {
  const view = mountAuditView(root, acquireVsCodeApi());
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isToAuditView(event.data)) view.receive(event.data);
  });
}
