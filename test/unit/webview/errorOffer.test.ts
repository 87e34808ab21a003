import assert from 'node:assert/strict';
import type { ChatError } from '../../../src/shared/protocol';
import { assistant, mountTestPage, user, viewState, type TestPage } from './env';

function click(page: TestPage, element: Element | null | undefined): void {
  assert.ok(element, 'element to click exists');
  element.dispatchEvent(new page.window.MouseEvent('click', { bubbles: true, cancelable: true }));
}

function showError(error: ChatError): TestPage {
  const page = mountTestPage();
  page.send({ type: 'state', state: viewState({ messages: [user('u1', 'q'), assistant('a1', '', { error })] }) });
  return page;
}

const NOT_CONFIGURED: ChatError = {
  kind: 'notConfigured',
  message: 'No model service is configured.',
  action: 'setApiKey',
  offer: { action: 'useBuiltInModel', label: 'Use a built-in model (1.0 GB download)' },
};

describe('webview error offer (the built-in model next to Set API Key)', () => {
  it('shows the offer with the service’s label beside the action; each posts its own action', () => {
    const page = showError(NOT_CONFIGURED);
    const buttons = page.$$('[data-testid="error"] button').map((button) => button.textContent);
    assert.deepEqual(buttons, ['Use a built-in model (1.0 GB download)', 'Set API Key']);
    click(page, page.$('[data-testid="error-offer"]'));
    click(page, page.$('[data-testid="error-action"]'));
    assert.deepEqual(page.api.ofType('errorAction'), [
      { type: 'errorAction', action: 'useBuiltInModel', messageId: 'a1' },
      { type: 'errorAction', action: 'setApiKey', messageId: 'a1' },
    ]);
  });

  it('shows an offer alone when the error has no action', () => {
    const { action: _action, ...error } = NOT_CONFIGURED;
    const page = showError(error);
    assert.equal(page.$('[data-testid="error-action"]'), null);
    assert.equal(page.$('[data-testid="error-offer"]')?.textContent, 'Use a built-in model (1.0 GB download)');
  });

  it('ignores an offer whose action is not one of Tandem’s, and bounds a runaway label', () => {
    for (const action of ['rm -rf', 'USEBUILTINMODEL', '', 'toString'] as const) {
      const page = showError({ ...NOT_CONFIGURED, offer: { action: action as 'useBuiltInModel', label: 'x' } });
      assert.equal(page.$('[data-testid="error-offer"]'), null, action);
      assert.equal(page.$('[data-testid="error-action"]')?.textContent, 'Set API Key');
    }
    const long = showError({ ...NOT_CONFIGURED, offer: { action: 'useBuiltInModel', label: 'A'.repeat(5_000) } });
    assert.ok((long.$('[data-testid="error-offer"]')?.textContent?.length ?? 0) <= 80);
    const markup = showError({ ...NOT_CONFIGURED, offer: { action: 'useBuiltInModel', label: '<img src=x onerror=alert(1)>' } });
    assert.equal(markup.$('[data-testid="error"] img'), null, 'the label is text, never markup');
  });
});
