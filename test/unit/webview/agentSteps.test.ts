import assert from 'node:assert/strict';
import { formatCost, formatTokens, sanitizeStep, summarizeChangeSet, usageText } from '../../../media/chat/agentData';
import type { StepView } from '../../../src/shared/webviewProtocol';
import { assistant, mountTestPage, user, viewState, type TestPage } from './env';

function click(page: TestPage, element: Element | null): void {
  assert.ok(element, 'element to click exists');
  element.dispatchEvent(new page.window.MouseEvent('click', { bubbles: true, cancelable: true }));
}

function step(id: string, extra: Partial<StepView> = {}): StepView {
  return { id, turn: 1, tool: 'read_file', title: `Read ${id}.ts`, status: 'done', ...extra };
}

function card(page: TestPage, id: string): HTMLElement | null {
  return page.$(`[data-testid="step-card"][data-step-id="${id}"]`);
}

function agentPage(steps: StepView[], extra: Parameters<typeof viewState>[0] = {}): TestPage {
  const page = mountTestPage();
  page.send({ type: 'state', state: viewState({ mode: 'agent', messages: [user('u1', 'Fix the test'), assistant('a1', 'All green.', { steps })], ...extra }) });
  return page;
}

const edit: StepView = step('s2', {
  tool: 'apply_patch',
  title: 'Edit src/add.ts',
  status: 'waiting',
  changeSet: {
    format: 'applyPatch',
    changes: [
      { kind: 'update', path: 'src/add.ts', oldText: 'a\nb\nc\n', newText: 'a\nB\nc\nd\n' },
      { kind: 'add', path: 'src/new.ts', newText: 'x\ny\n' },
    ],
  },
  approval: { kind: 'edit', prompt: 'Apply the changes to 2 files?' },
  checkpoint: true,
});

describe('webview agent mode', () => {
  it('renders step cards from state, above the answer text, with status in words', () => {
    const page = agentPage([
      step('s1', { why: 'To see how add works' }),
      step('s3', { tool: 'run_command', title: 'Run npm test', status: 'failed', output: '1 failing' }),
      step('s4', { tool: 'search_text', title: 'Search "add"', status: 'running' }),
    ]);
    const cards = page.$$('[data-testid="step-card"]');
    assert.deepEqual(cards.map((c) => c.dataset.stepId), ['s1', 's3', 's4']);
    assert.equal(cards[0]?.querySelector('.step-title')?.textContent, 'Read s1.ts');
    assert.equal(cards[0]?.querySelector('.step-why')?.textContent, 'To see how add works');
    assert.deepEqual(page.$$('[data-testid="step-status"]').map((s) => s.textContent), ['Done', 'Failed', 'Running']);
    // The cards come before the text of the answer.
    const message = page.$('[data-message-id="a1"]')!;
    const list = message.querySelector('[data-testid="step-list"]')!;
    const body = message.querySelector('.message-body')!;
    assert.ok(list.compareDocumentPosition(body) & page.window.Node.DOCUMENT_POSITION_FOLLOWING);
    // A failed command shows its output, unfolded.
    const output = cards[1]?.querySelector('details');
    assert.ok(output, 'no output shown');
    assert.equal(output.open, true);
    assert.equal(output.querySelector('pre')?.textContent, '1 failing');
  });

  it('replaces only the card of a live agentStep, keeping other DOM', () => {
    const page = agentPage([step('s1'), step('s2', { tool: 'run_command', title: 'Run npm test', status: 'running', output: 'one\n' })]);
    const first = card(page, 's1');
    const second = card(page, 's2');
    const text = page.$('[data-message-id="a1"] .message-body')!.firstElementChild;
    page.send({ type: 'agentStep', chatId: 'chat-1', messageId: 'a1', step: step('s2', { tool: 'run_command', title: 'Run npm test', status: 'running', output: 'one\ntwo\n' }) });
    assert.equal(card(page, 's1'), first, 'other cards keep their element');
    assert.equal(card(page, 's2'), second, 'the card element is kept, its content replaced');
    assert.equal(page.$('[data-message-id="a1"] .message-body')!.firstElementChild, text, 'the answer text is untouched');
    assert.equal(second?.querySelector('pre')?.textContent, 'one\ntwo\n');
    assert.equal((second?.querySelector('details') as HTMLDetailsElement).open, true, 'live command output is shown');
    // A new step goes at the end; one for another chat is ignored.
    page.send({ type: 'agentStep', chatId: 'chat-1', messageId: 'a1', step: step('s5', { title: 'Read more' }) });
    page.send({ type: 'agentStep', chatId: 'other', messageId: 'a1', step: step('s6') });
    assert.deepEqual(page.$$('[data-testid="step-card"]').map((c) => c.dataset.stepId), ['s1', 's2', 's5']);
  });

  it('keeps the output folded the way the person left it', () => {
    const page = agentPage([step('s1', { tool: 'run_command', status: 'running', output: 'a' })]);
    const details = card(page, 's1')!.querySelector('details') as HTMLDetailsElement;
    details.open = false;
    details.dispatchEvent(new page.window.Event('toggle'));
    page.send({ type: 'agentStep', chatId: 'chat-1', messageId: 'a1', step: step('s1', { tool: 'run_command', status: 'running', output: 'ab' }) });
    assert.equal((card(page, 's1')!.querySelector('details') as HTMLDetailsElement).open, false);
  });

  it('approval buttons post stepAction and disable until the next update', () => {
    const command = step('s1', { tool: 'run_command', title: 'Run npm test', status: 'waiting', approval: { kind: 'command', prompt: 'Run `npm test` in the workspace?' } });
    const page = agentPage([command]);
    const c = card(page, 's1')!;
    assert.equal(c.querySelector('[data-testid="step-prompt"]')?.textContent, 'Run npm test in the workspace?');
    assert.equal(c.querySelector('[data-testid="step-prompt"] code')?.textContent, 'npm test');
    assert.equal(c.querySelector('[data-testid="step-status"]')?.textContent, 'Waiting for you');
    click(page, c.querySelector('[data-testid="step-allow"]'));
    assert.deepEqual(page.api.ofType('stepAction'), [{ type: 'stepAction', messageId: 'a1', stepId: 's1', action: 'allowForTask' }]);
    for (const id of ['step-approve', 'step-reject', 'step-allow']) {
      assert.equal((c.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement).disabled, true, `${id} disabled`);
    }
    // The same step again (e.g. in a state) is not an update: still disabled.
    page.send({ type: 'agentStep', chatId: 'chat-1', messageId: 'a1', step: command });
    assert.equal((c.querySelector('[data-testid="step-approve"]') as HTMLButtonElement).disabled, true);
    // Still waiting but changed (say the extension reset it): enabled again.
    page.send({ type: 'agentStep', chatId: 'chat-1', messageId: 'a1', step: { ...command, approval: { kind: 'command', prompt: 'Run `npm test` again?' } } });
    assert.equal((c.querySelector('[data-testid="step-approve"]') as HTMLButtonElement).disabled, false);
    click(page, c.querySelector('[data-testid="step-reject"]'));
    assert.equal(page.api.ofType('stepAction')[1]?.action, 'reject');
    page.send({ type: 'agentStep', chatId: 'chat-1', messageId: 'a1', step: { ...command, status: 'running', approval: undefined } });
    assert.equal(c.querySelector('[data-testid="step-approve"]'), null, 'no buttons once decided');
  });

  it('edits: files with +/- counts, Review, Approve without "Allow", Restore to here', () => {
    const page = agentPage([edit]);
    const c = card(page, 's2')!;
    const files = Array.from(c.querySelectorAll('.step-file')).map((f) => f.textContent);
    assert.deepEqual(files, ['src/add.ts+2−1', 'src/new.tsnew+2−0']);
    assert.equal(c.querySelector('[data-testid="step-allow"]'), null, 'Allow for this task is only for commands');
    click(page, c.querySelector('[data-testid="step-review"]'));
    click(page, c.querySelector('[data-testid="step-review"]'));
    assert.equal((c.querySelector('[data-testid="step-approve"]') as HTMLButtonElement).disabled, false, 'Review leaves the decision open');
    click(page, c.querySelector('[data-testid="step-approve"]'));
    click(page, c.querySelector('[data-testid="step-restore"]'));
    assert.deepEqual(page.api.ofType('stepAction').map((m) => [m.stepId, m.action]), [['s2', 'review'], ['s2', 'approve']]);
    page.send({ type: 'agentStep', chatId: 'chat-1', messageId: 'a1', step: { ...edit, approval: undefined, status: 'done' } });
    assert.equal(c.querySelector('[data-testid="step-status"]')?.textContent, 'Done');
    click(page, c.querySelector('[data-testid="step-restore"]'));
    assert.deepEqual(page.api.ofType('stepAction').map((m) => [m.stepId, m.action]), [['s2', 'review'], ['s2', 'approve'], ['s2', 'restore']]);
  });

  it('questions: a text answer posts approve with the answer', () => {
    const question = step('s1', { tool: 'ask_user', title: 'Ask you', status: 'waiting', approval: { kind: 'question', prompt: 'Which port?' } });
    const page = agentPage([question]);
    const c = card(page, 's1')!;
    const input = c.querySelector('[data-testid="step-answer"]') as HTMLInputElement;
    click(page, c.querySelector('[data-testid="step-approve"]'));
    assert.deepEqual(page.api.ofType('stepAction'), [], 'an empty answer is not sent');
    input.value = ' 8080 ';
    input.dispatchEvent(new page.window.Event('input', { bubbles: true }));
    input.dispatchEvent(new page.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    assert.deepEqual(page.api.ofType('stepAction'), [{ type: 'stepAction', messageId: 'a1', stepId: 's1', action: 'approve', answer: '8080' }]);
    assert.equal(input.disabled, true);
  });

  it('renders model text as text and drops malformed steps', () => {
    const page = agentPage([]);
    const hostile = step('x1', { title: '<img src=x onerror=alert(1)>', why: '<b>bold</b>', output: '<script>1</script>', approval: { kind: 'path', prompt: '<i>read</i> `</code><b>`?' } });
    page.send({ type: 'agentStep', chatId: 'chat-1', messageId: 'a1', step: hostile });
    const c = card(page, 'x1')!;
    assert.equal(c.querySelector('img, b, i, script'), null);
    assert.equal(c.querySelector('.step-title')?.textContent, '<img src=x onerror=alert(1)>');
    for (const junk of [null, {}, { id: 'y', title: 't', status: 'exploded' }, { id: 3, title: 't', status: 'done' }, 'step']) {
      page.app.receive({ type: 'agentStep', chatId: 'chat-1', messageId: 'a1', step: junk });
    }
    page.app.receive({ type: 'agentStep', chatId: 'chat-1', step: step('z') });
    assert.deepEqual(page.$$('[data-testid="step-card"]').map((x) => x.dataset.stepId), ['x1']);
    assert.equal(sanitizeStep({ ...step('q'), approval: { kind: 'nuke', prompt: 'x' }, changeSet: { changes: 'no' } })?.approval, undefined);
  });

  it('holds a live step for a message that is not shown yet', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState({ mode: 'agent', messages: [user('u1', 'q')] }) });
    page.send({ type: 'agentStep', chatId: 'chat-1', messageId: 'a1', step: step('s1') });
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a1', '', { streaming: true }) });
    assert.ok(card(page, 's1'));
    // A snapshot without steps leaves the cards; one with steps is authoritative.
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a1', 'Done.') });
    assert.ok(card(page, 's1'));
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a1', 'Done.', { steps: [step('s2')] }) });
    assert.deepEqual(page.$$('[data-testid="step-card"]').map((x) => x.dataset.stepId), ['s2']);
  });

  it('the mode switch shows state.mode, posts setMode, works by keyboard and is off while busy', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState() });
    const group = page.$('[data-testid="mode-switch"]')!;
    assert.equal(group.getAttribute('role'), 'radiogroup');
    const ask = group.querySelector('[data-mode="ask"]') as HTMLButtonElement;
    const agent = group.querySelector('[data-mode="agent"]') as HTMLButtonElement;
    assert.equal(ask.getAttribute('aria-checked'), 'true');
    assert.equal(ask.tabIndex, 0);
    assert.equal(agent.tabIndex, -1);
    click(page, agent);
    assert.deepEqual(page.api.ofType('setMode'), [{ type: 'setMode', mode: 'agent' }]);
    assert.equal(agent.getAttribute('aria-checked'), 'true');
    assert.equal((page.$('[data-testid="input"]') as HTMLTextAreaElement).placeholder, 'Describe a task for Tandem', 'shown at once');
    assert.equal(page.$('[data-testid="agent-welcome"]')?.hidden, false, 'the empty chat explains Agent mode');
    assert.equal(page.$('[data-testid="ask-welcome"]')?.hidden, true);
    page.send({ type: 'state', state: viewState({ mode: 'agent' }) });
    agent.dispatchEvent(new page.window.KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, cancelable: true }));
    assert.deepEqual(page.api.ofType('setMode').at(-1), { type: 'setMode', mode: 'ask' });
    page.send({ type: 'state', state: viewState({ mode: 'agent', busy: true }) });
    assert.equal(ask.getAttribute('aria-checked'), 'false', 'state wins');
    assert.equal(ask.disabled, true);
    click(page, ask);
    assert.equal(page.api.ofType('setMode').length, 2);
  });

  it('shows the policy and the task usage in the header in Agent mode only', () => {
    const usage = { promptTokens: 10_000, completionTokens: 2_300, totalTokens: 12_300 };
    const page = agentPage([], { policy: 'auto-edit' });
    const bar = page.$('[data-testid="agent-bar"]')!;
    assert.equal(bar.hidden, false);
    assert.equal(page.$('[data-testid="agent-policy"]')?.textContent, 'Approval: auto-edit');
    assert.equal(page.$('[data-testid="agent-usage"]')?.hidden, true, 'no usage yet');
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a1', 'x', { usage, costUsd: 0.0412 }) });
    assert.equal(page.$('[data-testid="agent-usage"]')?.textContent, '12.3k tokens · $0.04');
    page.send({ type: 'state', state: viewState({ mode: 'agent', messages: [assistant('a1', 'x', { usage: { ...usage, totalTokens: 900 } })] }) });
    assert.equal(page.$('[data-testid="agent-usage"]')?.textContent, '900 tokens');
    page.send({ type: 'state', state: viewState({ mode: 'ask' }) });
    assert.equal(bar.hidden, true);
  });

  it('gives every agent control an accessible name', () => {
    const page = agentPage([edit, step('s1', { tool: 'run_command', status: 'waiting', approval: { kind: 'command', prompt: 'Run?' } })]);
    for (const button of page.$$('button')) {
      assert.ok(button.getAttribute('aria-label'), `button without aria-label: ${button.outerHTML.slice(0, 80)}`);
      assert.ok(button.title, `button without title: ${button.outerHTML.slice(0, 80)}`);
    }
  });

  it('formats counts and costs', () => {
    assert.equal(formatTokens(999), '999');
    assert.equal(formatTokens(12_000), '12k');
    assert.equal(formatTokens(1_250_000), '1.3M');
    assert.equal(formatCost(0.004), '<$0.01');
    assert.equal(formatCost(0), '$0.00');
    assert.equal(usageText(undefined, 1), undefined);
    const summary = summarizeChangeSet({ format: 'applyPatch', changes: [{ kind: 'delete', path: 'a', oldText: '1\n2' }, { kind: 'update', path: 'b', oldText: '', newText: '', moveTo: 'c' }] });
    assert.deepEqual(summary, [{ label: 'a', kind: 'delete', added: 0, removed: 2 }, { label: 'b → c', kind: 'update', added: 0, removed: 0 }]);
  });
});
