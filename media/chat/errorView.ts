/**
 * The error box under a failed answer: the plain-language message, the one
 * action that helps (as a button) and the service's offer beside it (the
 * built-in model when none is configured), and for an unknown model the
 * models the endpoint does offer.
 */
import type { ChatError, ErrorAction } from '../../src/shared/protocol';
import { isErrorAction } from '../../src/shared/vocabulary';
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
  useBuiltInModel: 'Use Built-in Model',
};

/** Labels come from the service; a runaway one would push the other button out of sight. */
const MAX_OFFER_LABEL = 80;

/** A long model list would bury the message; the Choose Model action lists them all. */
const MAX_MODEL_BUTTONS = 12;

export function renderError(dom: Dom, error: ChatError, messageId: string, post: (message: FromWebview) => void): HTMLElement {
  const action = error.action;
  const offer = error.offer && isErrorAction(error.offer.action) && typeof error.offer.label === 'string' ? error.offer : undefined;
  const offerLabel = offer ? offer.label.slice(0, MAX_OFFER_LABEL) || ERROR_ACTION_LABELS[offer.action] : '';
  const models = error.kind === 'modelNotFound' ? (error.availableModels ?? []) : [];
  const shown = models.slice(0, MAX_MODEL_BUTTONS);
  return dom.el('div', { class: 'error-box', testid: 'error', attrs: { role: 'alert' } }, [
    dom.el('div', { class: 'error-message' }, [icon(dom, 'error'), dom.el('span', { text: error.message })]),
    (action || offer) &&
      dom.el('div', { class: 'error-actions' }, [
        offer &&
          dom.button(offerLabel, {
            class: 'button primary',
            testid: 'error-offer',
            text: offerLabel,
            onClick: () => post({ type: 'errorAction', action: offer.action, messageId }),
          }),
        action &&
          dom.button(ERROR_ACTION_LABELS[action], {
            class: offer ? 'button secondary' : 'button primary',
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
