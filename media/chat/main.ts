/**
 * Webview entry (bundled to dist/webview/chat.js with chat.css beside it).
 * Everything else lives in app.ts so tests can mount it under jsdom.
 */
import './chat.css';
import './agent.css';
import { mountChat } from './app';
import { getVsCodeApi } from './vscodeApi';

const root = document.getElementById('root');
if (root) {
  mountChat(root, getVsCodeApi());
}
