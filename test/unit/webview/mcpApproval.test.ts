/**
 * The approval card of an MCP tool call: Approve, Reject, "Allow for this
 * task", and "Always allow <server>/<tool>" when the extension offers it
 * (the person's own servers only). Native buttons: Tab reaches them and
 * Enter/Space press them.
 */
import assert from 'node:assert/strict';
import { sanitizeStep } from '../../../media/chat/agentData';
import type { StepView } from '../../../src/shared/webviewProtocol';
import { assistant, mountTestPage, user, viewState, type TestPage } from './env';

const PROMPT = 'Call the tool echo of MCP server everything with {"message": "hi"}?';

function mcpStep(approval: StepView['approval']): StepView {
  return { id: 's1', turn: 1, tool: 'mcp', title: 'MCP everything › echo', status: 'waiting', output: 'Arguments: {"message": "hi"}', ...(approval ? { approval } : {}) };
}

function page(step: StepView): TestPage {
  const mounted = mountTestPage();
  mounted.send({ type: 'state', state: viewState({ mode: 'agent', messages: [user('u1', 'Echo hi'), assistant('a1', '', { steps: [step] })] }) });
  return mounted;
}

function buttons(mounted: TestPage): Map<string, HTMLButtonElement> {
  const card = mounted.$('[data-testid="step-card"][data-step-id="s1"]');
  assert.ok(card, 'the card is shown');
  return new Map(Array.from(card.querySelectorAll<HTMLButtonElement>('.step-approval button')).map((button) => [button.dataset.testid ?? '', button]));
}

describe('webview: MCP approval card', () => {
  it('offers Approve, Reject, Allow for this task and Always allow <server>/<tool>; each posts its own action', () => {
    for (const [testid, action] of [['step-approve', 'approve'], ['step-reject', 'reject'], ['step-allow', 'allowForTask'], ['step-always-allow', 'alwaysAllow']] as const) {
      const mounted = page(mcpStep({ kind: 'mcp', prompt: PROMPT, alwaysAllow: 'everything/echo' }));
      const found = buttons(mounted);
      assert.deepEqual([...found.keys()], ['step-approve', 'step-reject', 'step-allow', 'step-always-allow']);
      assert.equal(found.get('step-always-allow')?.textContent, 'Always allow everything/echo');
      assert.match(found.get('step-always-allow')?.getAttribute('aria-label') ?? '', /user settings/);
      found.get(testid)?.dispatchEvent(new mounted.window.MouseEvent('click', { bubbles: true }));
      assert.deepEqual(mounted.api.ofType('stepAction'), [{ type: 'stepAction', messageId: 'a1', stepId: 's1', action }]);
      for (const button of buttons(mounted).values()) assert.equal(button.disabled, true, 'the card waits for the decision to land');
    }
  });

  it('has no Always allow for a repository\'s server (the extension leaves alwaysAllow out)', () => {
    const found = buttons(page(mcpStep({ kind: 'mcp', prompt: PROMPT })));
    assert.deepEqual([...found.keys()], ['step-approve', 'step-reject', 'step-allow']);
  });

  it('every button is a native, focusable button with a label (keyboard: Tab, Enter, Space)', () => {
    for (const button of buttons(page(mcpStep({ kind: 'mcp', prompt: PROMPT, alwaysAllow: 'everything/echo' }))).values()) {
      assert.equal(button.tagName, 'BUTTON');
      assert.notEqual(button.tabIndex, -1);
      assert.ok((button.getAttribute('aria-label') ?? '').length > 0);
    }
  });

  it('keeps alwaysAllow only on MCP cards, as a bounded string', () => {
    const cases: Array<[unknown, string | undefined]> = [
      [{ kind: 'mcp', prompt: PROMPT, alwaysAllow: 'a/b' }, 'a/b'],
      [{ kind: 'mcp', prompt: PROMPT, alwaysAllow: '' }, undefined],
      [{ kind: 'mcp', prompt: PROMPT, alwaysAllow: 5 }, undefined],
      [{ kind: 'mcp', prompt: PROMPT, alwaysAllow: { server: 'a' } }, undefined],
      [{ kind: 'command', prompt: 'Run `x`?', alwaysAllow: 'a/b' }, undefined],
      [{ kind: 'mcp', prompt: PROMPT, alwaysAllow: 'x'.repeat(10_000) }, 'x'.repeat(260)],
    ];
    for (const [approval, expected] of cases) {
      const sanitized = sanitizeStep({ ...mcpStep(undefined), approval });
      assert.equal(sanitized?.approval?.alwaysAllow, expected, JSON.stringify(approval).slice(0, 80));
    }
  });
});
