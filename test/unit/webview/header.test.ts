import assert from 'node:assert/strict';
import type { ApprovalPolicy, SandboxInfo } from '../../../src/shared/agentProtocol';
import type { ChatMode } from '../../../src/shared/webviewProtocol';
import { mountTestPage, viewState } from './env';

function sandboxLine(mode: ChatMode, policy: ApprovalPolicy, sandbox?: SandboxInfo): HTMLElement {
  const page = mountTestPage();
  page.send({ type: 'state', state: viewState({ mode, policy, ...(sandbox ? { sandbox } : {}) }) });
  const line = page.$('[data-testid="agent-sandbox"]');
  assert.ok(line);
  return line;
}

describe('webview header: how commands run under full-auto', () => {
  it('says which sandbox commands run in, and whether they have the network', () => {
    const cases: Array<[SandboxInfo, string]> = [
      [{ kind: 'bubblewrap', network: false }, 'Sandbox: bubblewrap, no network'],
      [{ kind: 'bubblewrap', network: true }, 'Sandbox: bubblewrap, network allowed'],
      [{ kind: 'seatbelt', network: false }, 'Sandbox: Seatbelt, no network'],
    ];
    for (const [sandbox, text] of cases) {
      const line = sandboxLine('agent', 'full-auto', sandbox);
      assert.equal(line.hidden, false);
      assert.equal(line.textContent, text);
      assert.match(line.title, /write only inside the workspace/);
      assert.match(line.title, sandbox.network ? /network is not sandboxed/ : /no network/);
    }
  });

  it('without a sandbox, says that commands ask and why', () => {
    const line = sandboxLine('agent', 'full-auto', { kind: 'none', network: false, reason: 'bubblewrap not installed' });
    assert.equal(line.hidden, false);
    assert.equal(line.textContent, 'No sandbox (bubblewrap not installed): commands ask');
    assert.match(line.title, /every command asks first/);
    assert.equal(line.dataset.sandbox, 'none');
  });

  it('shows nothing where every command asks anyway, in Ask mode, or before the check has ended', () => {
    const sandbox: SandboxInfo = { kind: 'bubblewrap', network: false };
    assert.equal(sandboxLine('agent', 'ask', sandbox).hidden, true);
    assert.equal(sandboxLine('agent', 'auto-edit', sandbox).hidden, true);
    assert.equal(sandboxLine('agent', 'full-auto').hidden, true, 'still checking');
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState({ mode: 'ask', policy: 'full-auto', sandbox }) });
    assert.equal(page.$('[data-testid="agent-bar"]')?.hidden, true);
  });

  it('follows state changes: the policy and the sandbox found', () => {
    const page = mountTestPage();
    const line = (): HTMLElement => page.$('[data-testid="agent-sandbox"]')!;
    page.send({ type: 'state', state: viewState({ mode: 'agent', policy: 'auto-edit' }) });
    assert.equal(line().hidden, true);
    page.send({ type: 'state', state: viewState({ mode: 'agent', policy: 'full-auto', sandbox: { kind: 'none', network: false, reason: 'not available on Windows' } }) });
    assert.equal(line().textContent, 'No sandbox (not available on Windows): commands ask');
    page.send({ type: 'state', state: viewState({ mode: 'agent', policy: 'full-auto', sandbox: { kind: 'bubblewrap', network: false } }) });
    assert.equal(line().textContent, 'Sandbox: bubblewrap, no network');
    assert.equal(line().dataset.sandbox, 'bubblewrap');
    // It sits in the labelled agent group, next to the policy.
    const bar = page.$('[data-testid="agent-bar"]')!;
    assert.equal(bar.getAttribute('role'), 'group');
    assert.ok(bar.contains(line()));
  });
});
