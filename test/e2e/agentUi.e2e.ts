import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import type { ChatViewState, StepView, ToWebview } from '../../src/shared/webviewProtocol';
import { runCommand, screenshot } from '../runner/browser';
import { ScriptedModelServer } from '../support/modelServer';
import { openTandem, type TandemSession, focusChat } from './fixture';

/**
 * Agent mode in the chat view, in a real VS Code (code-server) in Chromium:
 * the Ask / Agent switch, the header's agent line, and how step cards look
 * in the workbench's theme (screenshots to look at, not to diff).
 */
describe('agent mode UI end to end', function () {
  this.timeout(180_000);
  let model: ScriptedModelServer;
  let session: TandemSession;
  let page: Page;

  before(async () => {
    model = await ScriptedModelServer.start({ models: ['test-model'] });
    session = await openTandem({ userSettings: { 'tandem.baseUrl': model.baseUrl, 'tandem.model': 'test-model' } });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await model?.close();
  });

  it('switches to Agent mode from the composer', async () => {
    const frame = await focusChat(page);
    await frame.locator('[data-testid="welcome"]').waitFor({ state: 'visible' });
    const agent = frame.locator('[data-testid="mode-switch"] [data-mode="agent"]');
    await agent.click();
    assert.equal(await agent.getAttribute('aria-checked'), 'true');
    // The header's agent line appears once the extension confirms the mode in a state.
    await frame.locator('[data-testid="agent-bar"]').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await frame.locator('[data-testid="agent-policy"]').innerText(), /^Approval: (ask|auto-edit|full-auto)$/);
    assert.equal(await frame.locator('[data-testid="input"]').getAttribute('placeholder'), 'Describe a task for Tandem');
    await frame.locator('[data-testid="agent-welcome"]').waitFor({ state: 'visible' });
    await screenshot(page, 'agent-mode');
  });

  it('runs a task: cards appear live, a command waits for Approve, the answer follows', async () => {
    const frame = await focusChat(page);
    model.enqueue({ kind: 'stream', text: '', toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ path: 'package.json' }) }], usage: { prompt_tokens: 1200, completion_tokens: 30, total_tokens: 1230 } });
    model.enqueue({ kind: 'stream', text: '', toolCalls: [{ name: 'run_command', arguments: JSON.stringify({ command: 'echo tandem-agent-ok', why: 'Check the shell works' }) }] });
    model.enqueue({ kind: 'stream', text: '', toolCalls: [{ name: 'finish', arguments: JSON.stringify({ summary: 'Read the package and ran echo.', verification: 'echo printed tandem-agent-ok' }) }] });
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill('Read package.json and run echo');
    await input.press('Enter');
    const answer = frame.locator('[data-testid="message"][data-role="assistant"]').last();
    const approve = answer.locator('[data-testid="step-approve"]');
    await approve.waitFor({ timeout: 60_000 });
    assert.ok((await answer.locator('[data-testid="step-card"]').count()) >= 2, 'the read step and the command step');
    await screenshot(page, 'agent-live-approval');
    await approve.click();
    await answer.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    assert.match(await answer.innerText(), /Read the package and ran echo/);
    assert.equal(await answer.locator('[data-testid="step-approve"]').count(), 0, 'no buttons once decided');
    await screenshot(page, 'agent-live-done');
  });

  it('an agent task with two approvals and one rejection, decided on the cards', async () => {
    const frame = await focusChat(page);
    await frame.locator('[data-testid="new-chat"]').click();
    await frame.locator('[data-testid="mode-switch"] [data-mode="agent"]').click();
    await frame.locator('[data-testid="agent-bar"]').waitFor({ state: 'visible' });
    const patch = [
      '*** Begin Patch',
      '*** Update File: src/math.ts',
      '@@',
      ' export function average(values: readonly number[]): number {',
      '+  if (values.length === 0) {',
      '+    return 0;',
      '+  }',
      '   let sum = 0;',
      '*** End Patch',
    ].join('\n');
    model.enqueue(
      { kind: 'stream', text: 'An empty list gives NaN; guarding it.', toolCalls: [{ name: 'apply_patch', arguments: JSON.stringify({ patch }) }] },
      { kind: 'stream', text: '', toolCalls: [{ name: 'run_command', arguments: JSON.stringify({ command: 'echo first-approved', why: 'Check the shell' }) }] },
      { kind: 'stream', text: '', toolCalls: [{ name: 'run_command', arguments: JSON.stringify({ command: 'echo second-rejected', why: 'Once more' }) }] },
      { kind: 'stream', text: '', toolCalls: [{ name: 'finish', arguments: JSON.stringify({ summary: 'Guarded average against an empty list.', verification: 'echo ran' }) }] },
    );
    const requestsBefore = model.chatRequests().length;
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill('Make average return 0 for an empty list');
    await input.press('Enter');
    const answer = frame.locator('[data-testid="message"][data-role="assistant"]').last();
    const waiting = (tool: string): ReturnType<Frame['locator']> =>
      answer.locator('[data-testid="step-card"]', { has: frame.locator('[data-testid="step-approve"]') }).filter({ hasText: tool });

    // 1. The edit waits for approval (its diff is open for review too): approve it.
    const edit = waiting('src/math.ts');
    await edit.waitFor({ timeout: 60_000 });
    await screenshot(page, 'agent-approve-edit');
    await edit.locator('[data-testid="step-approve"]').click();
    // 2. The first command: approve.
    const first = waiting('echo first-approved');
    await first.waitFor({ timeout: 60_000 });
    await first.locator('[data-testid="step-approve"]').click();
    // 3. The second command: reject.
    const second = waiting('echo second-rejected');
    await second.waitFor({ timeout: 60_000 });
    await screenshot(page, 'agent-reject-command');
    await second.locator('[data-testid="step-reject"]').click();

    await answer.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    assert.match(await answer.innerText(), /Guarded average against an empty list\./);
    assert.equal(await answer.locator('[data-testid="step-approve"]').count(), 0, 'no buttons once decided');
    assert.match(await answer.locator('[data-testid="step-card"]', { hasText: 'echo second-rejected' }).locator('[data-testid="step-status"]').innerText(), /Rejected/i);
    // What the model was told: the approved command ran, the rejected one did NOT.
    const requests = model.chatRequests().slice(requestsBefore);
    assert.equal(requests.length, 4);
    const toolResults = (index: number): string[] =>
      ((requests[index]?.body as { messages?: Array<{ role: string; content: unknown }> }).messages ?? [])
        .filter((message) => message.role === 'tool')
        .map((message) => String(message.content));
    assert.match(toolResults(2).at(-1) ?? '', /first-approved/, 'the approved command ran and its output went back');
    assert.match(toolResults(3).at(-1) ?? '', /The command was NOT run: the person did not allow it/);
    // The approved edit is in the file on disk.
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    assert.match(readFileSync(join(session.workspace, 'src/math.ts'), 'utf8'), /if \(values\.length === 0\) \{\n    return 0;/);
    await screenshot(page, 'agent-task-done');
  });

  it('shows step cards as the extension sends them (rendering check)', async () => {
    const frame = await focusChat(page);
    // Drive the webview directly with the messages the extension sends, so the
    // cards can be looked at whatever state the agent loop is in.
    const state = sampleState();
    await post(frame, { type: 'state', state });
    await frame.locator('[data-testid="step-card"]').first().waitFor();
    assert.equal(await frame.locator('[data-testid="step-card"]').count(), state.messages[1]?.steps?.length);
    await post(frame, {
      type: 'agentStep',
      chatId: state.chatId,
      messageId: 'a1',
      step: { id: 's4', turn: 3, tool: 'run_command', title: 'Run npm test', why: 'Check the fix', status: 'running', output: '> test\n> mocha\n\n  add\n    ✔ adds\n' },
    });
    await frame.locator('[data-step-id="s4"] [data-status="running"]').waitFor();
    assert.match(await frame.locator('[data-testid="agent-usage"]').innerText(), /12\.3k tokens · \$0\.04/);
    await screenshot(page, 'agent-steps');
  });

  for (const [theme, bodyClass, name] of [
    ['Dark Modern', 'vscode-dark', 'agent-steps-dark'],
    ['Dark High Contrast', 'vscode-high-contrast', 'agent-steps-high-contrast'],
  ] as const) {
    it(`is readable in ${theme}`, async () => {
      await runCommand(page, 'Preferences: Color Theme');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.fill(theme);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first().waitFor();
      await input.press('Enter');
      const frame = await focusChat(page);
      await frame.locator(`body.${bodyClass}`).waitFor({ state: 'attached', timeout: 30_000 });
      await frame.locator('[data-testid="step-card"]').first().waitFor();
      // Inline code keeps a visible contrast (high contrast: black on white, not black on black).
      const [color, background] = await frame.locator('[data-testid="step-prompt"] code').first().evaluate((el) => {
        const style = getComputedStyle(el);
        return [style.color, style.backgroundColor];
      });
      assert.notEqual(color, background, `inline code is ${color} on ${background}`);
      await screenshot(page, name);
    });
  }
});

async function post(frame: Frame, message: ToWebview): Promise<void> {
  await frame.evaluate((data) => window.postMessage(data, '*'), message);
}

function sampleState(): ChatViewState {
  const steps: StepView[] = [
    { id: 's1', turn: 1, tool: 'read_file', title: 'Read src/add.ts (lines 1–40)', why: 'To see how add is written', status: 'done', output: 'export function add(a, b) {\n  return a - b;\n}\n' },
    {
      id: 's2',
      turn: 2,
      tool: 'apply_patch',
      title: 'Edit src/add.ts',
      why: 'add subtracts instead of adding',
      status: 'done',
      checkpoint: true,
      changeSet: { format: 'applyPatch', changes: [{ kind: 'update', path: 'src/add.ts', oldText: 'export function add(a, b) {\n  return a - b;\n}\n', newText: 'export function add(a: number, b: number): number {\n  return a + b;\n}\n' }] },
    },
    {
      id: 's3',
      turn: 3,
      tool: 'run_command',
      title: 'Run npm test',
      why: 'Check the fix',
      status: 'waiting',
      approval: { kind: 'command', prompt: 'Run `npm test` in the workspace?' },
    },
  ];
  return {
    chatId: 'agent-ui-sample',
    title: 'Fix add',
    busy: true,
    chips: [],
    history: [],
    models: ['test-model'],
    model: 'test-model',
    service: 'ready',
    mode: 'agent',
    policy: 'ask',
    messages: [
      { id: 'u1', role: 'user', text: 'Fix the add function and run the tests' },
      { id: 'a1', role: 'assistant', text: '', streaming: true, steps, usage: { promptTokens: 11_000, completionTokens: 1_300, totalTokens: 12_300 }, costUsd: 0.041 },
    ],
  };
}
