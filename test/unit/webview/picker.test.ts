import assert from 'node:assert/strict';
import { isFromWebview, isToWebview, type ChipView, type FromWebview } from '../../../src/shared/webviewProtocol';
import { MENTION_KINDS } from '../../../src/shared/vocabulary';
import { mountTestPage, user, viewState, type TestPage } from './env';

function input(page: TestPage): HTMLTextAreaElement {
  return page.$('[data-testid="input"]') as HTMLTextAreaElement;
}

/** Types `text` at the end of the input, one character per input event (as a person would). */
function typeChars(page: TestPage, text: string): void {
  const box = input(page);
  for (const char of text) {
    box.value += char;
    box.setSelectionRange(box.value.length, box.value.length);
    box.dispatchEvent(new page.window.Event('input', { bubbles: true }));
  }
}

function key(page: TestPage, name: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new page.window.KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true, ...init });
  input(page).dispatchEvent(event);
  return event;
}

function options(page: TestPage): string[] {
  return page.$$('[data-testid="picker-option"] .picker-label').map((label) => label.textContent ?? '');
}

function activeLabel(page: TestPage): string | undefined {
  const id = input(page).getAttribute('aria-activedescendant');
  return id ? (page.root.querySelector(`#${id} .picker-label`)?.textContent ?? undefined) : undefined;
}

function pickerOpen(page: TestPage): boolean {
  return page.$('[data-testid="picker"]')?.hidden === false;
}

function lastQuery(page: TestPage): Extract<FromWebview, { type: 'mentionQuery' }> {
  const query = page.api.ofType('mentionQuery').at(-1);
  assert.ok(query, 'a query was posted');
  return query;
}

describe('webview @ picker', () => {
  it('opens on @ as an ARIA combobox with the kinds; arrows move, Enter picks a kind with a second stage', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState() });
    const box = input(page);
    assert.equal(box.getAttribute('role'), 'combobox');
    assert.equal(box.getAttribute('aria-expanded'), 'false');
    typeChars(page, 'why @');
    assert.ok(pickerOpen(page));
    assert.equal(box.getAttribute('aria-expanded'), 'true');
    assert.equal(page.$('[role="listbox"]')?.id, box.getAttribute('aria-controls'));
    assert.deepEqual(options(page), MENTION_KINDS.map((kind) => `@${kind}`));
    assert.equal(activeLabel(page), '@file');
    assert.equal(key(page, 'ArrowDown').defaultPrevented, true);
    assert.equal(activeLabel(page), '@folder');
    key(page, 'ArrowUp');
    key(page, 'ArrowUp');
    assert.equal(activeLabel(page), `@${MENTION_KINDS.at(-1)}`, 'wraps around');
    key(page, 'ArrowDown');
    assert.equal(key(page, 'Enter').defaultPrevented, true);
    assert.equal(box.value, 'why @file:');
    assert.deepEqual(page.api.ofType('send'), [], 'Enter picked, it did not send');
    assert.deepEqual(lastQuery(page), { type: 'mentionQuery', requestId: lastQuery(page).requestId, kind: 'file', query: '' });
    assert.equal(page.$('[data-testid="picker-status"]')?.textContent, 'Searching…');
  });

  it('a file pick (Tab) posts addMention and takes the typed token out of the question', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState() });
    typeChars(page, 'explain @file:ap');
    const { requestId } = lastQuery(page);
    assert.equal(lastQuery(page).query, 'ap');
    page.send({ type: 'mentionOptions', requestId, options: [{ value: 'src/app.ts', label: 'app.ts', detail: 'src/app.ts' }, { value: 'src/apply.ts', label: 'apply.ts' }] });
    assert.deepEqual(options(page), ['app.ts', 'apply.ts']);
    key(page, 'ArrowDown');
    assert.equal(key(page, 'Tab').defaultPrevented, true);
    assert.deepEqual(page.api.ofType('addMention'), [{ type: 'addMention', kind: 'file', value: 'src/apply.ts' }]);
    assert.equal(input(page).value, 'explain ');
    assert.equal(pickerOpen(page), false);
  });

  it('drops answers to older queries and malformed options', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState() });
    typeChars(page, '@file:a');
    const first = lastQuery(page).requestId;
    typeChars(page, 'p');
    const second = lastQuery(page).requestId;
    assert.notEqual(first, second);
    page.send({ type: 'mentionOptions', requestId: first, options: [{ value: 'old.ts', label: 'old.ts' }] });
    assert.deepEqual(options(page), [], 'a late answer to an older query is ignored');
    const hostile: unknown[] = [
      { type: 'mentionOptions', requestId: second, options: 'nope' },
      { type: 'mentionOptions', requestId: 'x', options: [] },
      { type: 'mentionOptions', requestId: second, options: [], note: 42 },
    ];
    for (const message of hostile) page.app.receive(message);
    assert.deepEqual(options(page), []);
    page.app.receive({ type: 'mentionOptions', requestId: second, options: [{ value: 1, label: 'bad' }, null, { value: 'ok.ts', label: '<img src=x onerror=alert(1)>' }] });
    assert.deepEqual(options(page), ['<img src=x onerror=alert(1)>'], 'only well-formed options, as text');
    assert.equal(page.$('img'), null);
  });

  it('says why there is nothing to pick (the extension’s note)', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState() });
    typeChars(page, '@file:zz');
    page.send({ type: 'mentionOptions', requestId: lastQuery(page).requestId, options: [], note: 'No workspace file matches “zz”' });
    assert.equal(page.$('[data-testid="picker-status"]')?.textContent, 'No workspace file matches “zz”');
    assert.equal(input(page).hasAttribute('aria-activedescendant'), false);
  });

  it('kinds without a second stage attach at once; unavailable ones are listed as coming and cannot be picked', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState({ unavailableMentions: ['codebase'] }) });
    typeChars(page, '@cha');
    key(page, 'Enter');
    assert.deepEqual(page.api.ofType('addMention'), [{ type: 'addMention', kind: 'changes', value: '' }]);
    assert.equal(input(page).value, '');
    typeChars(page, '@codebase');
    assert.match(page.$('[data-testid="picker-option"]')?.textContent ?? '', /coming/);
    assert.equal(page.$('[data-testid="picker-option"]')?.getAttribute('aria-disabled'), 'true');
    key(page, 'Enter');
    assert.equal(page.api.ofType('addMention').length, 1, 'nothing attached');
  });

  it('Escape closes it until the next @; an e-mail address never opens it; Enter with no match sends', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState() });
    typeChars(page, '@pr');
    assert.ok(pickerOpen(page));
    const escape = key(page, 'Escape');
    assert.equal(escape.defaultPrevented, true);
    assert.equal(pickerOpen(page), false);
    typeChars(page, 'ob');
    assert.equal(pickerOpen(page), false, 'stays closed for this @');
    typeChars(page, ' then @');
    assert.ok(pickerOpen(page), 'a new @ opens it again');
    key(page, 'Escape');
    typeChars(page, ' mail a@b.com');
    assert.equal(pickerOpen(page), false);
    typeChars(page, ' @zzz');
    assert.deepEqual(options(page), []);
    key(page, 'Enter');
    assert.equal(page.api.ofType('send').length, 1, 'Enter with nothing to pick sends');
  });

  it('/ at the start offers the four tasks and runs the chosen one', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState() });
    typeChars(page, '/');
    assert.deepEqual(options(page), ['/explain', '/fix', '/tests', '/docs']);
    typeChars(page, 'te');
    key(page, 'Enter');
    assert.deepEqual(page.api.ofType('slashCommand'), [{ type: 'slashCommand', command: 'tests' }]);
    assert.equal(input(page).value, '');
    typeChars(page, 'not at the start /ex');
    assert.equal(pickerOpen(page), false);
  });
});

describe('webview chips and budget', () => {
  const chip = (extra: Partial<ChipView>): ChipView => ({ id: 'c', kind: 'file', label: 'app.ts', detail: 'src/app.ts', implicit: false, ...extra });

  it('each chip shows its size in tokens; a refused one shows none and says not sent', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState({ budget: { tokens: 24_000, source: 'default' } }) });
    page.send({ type: 'chips', chips: [chip({ id: 'a', tokens: 1234 }), chip({ id: 'b', kind: 'problems', label: 'problems: app.ts', tokens: 80 }), chip({ id: 'e', label: '.env', excluded: '.env is a secrets file', tokens: 10 })] });
    assert.deepEqual(page.$$('[data-testid="chip-tokens"]').map((element) => element.textContent), ['1.2k', '80']);
    assert.match(page.$$('[data-testid="chip"]')[0]?.title ?? '', /≈ 1\.2k tokens \(estimated: characters ÷ 4\)/);
    assert.match(page.$$('[data-testid="chip"]')[2]?.textContent ?? '', /not sent/);
    assert.equal(page.$('[data-testid="budget"]')?.textContent, '≈ 1.3k / 24k tokens');
  });

  it('the budget counts the question and the conversation, and warns when over', () => {
    const page = mountTestPage();
    const history = [user('u1', 'x'.repeat(40_000))];
    page.send({ type: 'state', state: viewState({ messages: history, budget: { tokens: 24_000, source: 'default' } }) });
    const line = page.$('[data-testid="budget"]');
    assert.equal(line?.textContent, '≈ 10k / 24k tokens');
    page.send({ type: 'chips', chips: [chip({ tokens: 13_000 })] });
    assert.equal(line?.classList.contains('over'), false);
    const box = input(page);
    box.value = 'y'.repeat(4004);
    box.dispatchEvent(new page.window.Event('input', { bubbles: true }));
    assert.equal(line?.classList.contains('over'), true);
    assert.match(line?.textContent ?? '', /^≈ 24k \/ 24k tokens — over the budget/);
    assert.match(line?.title ?? '', /characters ÷ 4/);
  });
});

describe('webview messages for mentions, validated both ways', () => {
  it('accepts the well-formed ones', () => {
    const good: unknown[] = [
      { type: 'mentionQuery', requestId: 3, kind: 'file', query: 'app' },
      { type: 'addMention', kind: 'problems', value: 'workspace' },
      { type: 'addMention', kind: 'changes', value: '' },
      { type: 'slashCommand', command: 'explain' },
    ];
    for (const message of good) assert.equal(isFromWebview(message), true, JSON.stringify(message));
    assert.equal(isToWebview({ type: 'mentionOptions', requestId: 1, options: [] }), true);
  });

  it('refuses hostile or malformed ones from the webview', () => {
    const bad: unknown[] = [
      { type: 'mentionQuery', requestId: 3, kind: 'env', query: 'x' },
      { type: 'mentionQuery', requestId: 1.5, kind: 'file', query: 'x' },
      { type: 'mentionQuery', requestId: '1', kind: 'file', query: 'x' },
      { type: 'mentionQuery', requestId: 1, kind: 'file', query: 'x'.repeat(201) },
      { type: 'mentionQuery', requestId: 1, kind: 'file' },
      { type: 'addMention', kind: 'File', value: 'a' },
      { type: 'addMention', kind: '__proto__', value: 'a' },
      { type: 'addMention', kind: 'file', value: 42 },
      { type: 'addMention', kind: 'file', value: 'a'.repeat(5000) },
      { type: 'slashCommand', command: 'rm' },
      { type: 'slashCommand', command: ' explain' },
      { type: 'slashCommand' },
    ];
    for (const message of bad) assert.equal(isFromWebview(message), false, JSON.stringify(message).slice(0, 120));
  });
});
