/**
 * The error box under a failed answer: the plain-language message, the one
 * action that helps (as a button), and for an unknown model the models the
 * endpoint does offer.
 */
import type { ChatError, ErrorAction } from '../../src/shared/protocol';
import type { FromWebview } from '../../src/shared/webviewProtocol';
import type { Dom } from './dom';
import { icon } from './icons';

export const ERROR_ACTION_LABELS: Record<ErrorAction, string> = {
  setApiKey: 'Set API Key',
  pickModel: 'Choose Model',
  retry: 'Retry',
  openSettings: 'Open Settings',
  showLog: 'Show Log',
  manageTrust: 'Manage Workspace Trust',
};

/** A long model list would bury the message; the Choose Model action lists them all. */
const MAX_MODEL_BUTTONS = 12;

export function renderError(dom: Dom, error: ChatError, messageId: string, post: (message: FromWebview) => void): HTMLElement {
  const action = error.action;
  const models = error.kind === 'modelNotFound' ? (error.availableModels ?? []) : [];
  const shown = models.slice(0, MAX_MODEL_BUTTONS);
  return dom.el('div', { class: 'error-box', testid: 'error', attrs: { role: 'alert' } }, [
    dom.el('div', { class: 'error-message' }, [icon(dom, 'error'), dom.el('span', { text: error.message })]),
    action &&
      dom.el('div', { class: 'error-actions' }, [
        dom.button(ERROR_ACTION_LABELS[action], {
          class: 'button primary',
          testid: 'error-action',
          text: ERROR_ACTION_LABELS[action],
          onClick: () => post({ type: 'errorAction', action, messageId }),
        }),
      ]),
    shown.length > 0 &&
      dom.el('div', { class: 'error-models' }, [
        dom.el('span', { class: 'muted', text: 'Available models:' }),
        ...shown.map((model) =>
          dom.button(`Use ${model}`, {
            class: 'button secondary small',
            testid: 'model-choice',
            text: model,
            onClick: () => post({ type: 'pickModel', model }),
          }),
        ),
        models.length > shown.length && dom.el('span', { class: 'muted', text: `and ${models.length - shown.length} more` }),
      ]),
  ]);
}
