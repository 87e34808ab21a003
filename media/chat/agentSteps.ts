/**
 * The step cards of an agent answer: one card per tool call, in order, above
 * the answer's text (the work first, then the conclusion, which is also where
 * the streaming text and auto-scroll are). A live update replaces one card's
 * content in place (same element, output folded/unfolded as the person left
 * it); nothing else in the transcript is touched. All step text goes in with
 * textContent: it is model-influenced.
 */
import type { AgentStep, StepStatus } from '../../src/shared/agentProtocol';
import { verdictText } from '../../src/shared/checks';
import type { FromWebview, StepView } from '../../src/shared/webviewProtocol';
import { summarizeChangeSet } from './agentData';
import type { Dom } from './dom';
import { icon, type IconName } from './icons';

type StepAction = Extract<FromWebview, { type: 'stepAction' }>['action'];

const TOOL_ICONS: Record<AgentStep['tool'], IconName> = {
  read_file: 'file',
  list_dir: 'folder',
  find_files: 'search',
  search_text: 'search',
  search_codebase: 'search',
  apply_patch: 'edit',
  create_file: 'fileAdd',
  get_diagnostics: 'warning',
  run_command: 'terminal',
  ask_user: 'question',
  finish: 'flag',
  mcp: 'tool',
};

const STATUS_LABELS: Record<StepStatus, string> = {
  running: 'Running',
  waiting: 'Waiting for you',
  done: 'Done',
  failed: 'Failed',
  rejected: 'Rejected',
  refused: 'Refused',
};

const STATUS_ICONS: Record<StepStatus, IconName> = {
  running: 'spinner',
  waiting: 'clock',
  done: 'check',
  failed: 'close',
  rejected: 'block',
  refused: 'block',
};

/** Review and Restore come back this long after a click when no update arrived. */
const REENABLE_AFTER_MS = 2_000;

export interface StepCardDeps {
  dom: Dom;
  messageId: string;
  post(message: FromWebview): void;
}

export class StepCard {
  readonly element: HTMLElement;
  private key = '';
  /** The person opened or closed the output: their choice wins over the default. */
  private outputChoice: boolean | undefined;
  private answerDraft = '';
  /** A decision was posted: nothing more until the step's next update. */
  private pending = false;

  constructor(private readonly deps: StepCardDeps, step: StepView) {
    this.element = deps.dom.el('li', { class: 'step-card', testid: 'step-card', attrs: { 'data-step-id': step.id } });
    this.update(step);
  }

  /** Re-renders from a whole step if it changed; buttons come back enabled. Returns whether it changed. */
  update(step: StepView): boolean {
    const key = JSON.stringify(step);
    if (key === this.key) {
      return false;
    }
    this.key = key;
    this.pending = false;
    const focusedTestId = this.focusedTestId();
    const outputScroll = this.outputScroll();
    this.render(step);
    this.restoreFocus(focusedTestId);
    this.restoreOutputScroll(outputScroll);
    return true;
  }

  private render(step: StepView): void {
    const { dom } = this.deps;
    this.element.dataset.status = step.status;
    this.element.dataset.tool = step.tool;
    this.element.classList.toggle('step-waiting', step.approval !== undefined);
    const toolIcon = TOOL_ICONS[step.tool] ?? 'tool';
    dom.replaceChildren(this.element, [
      dom.el('div', { class: 'step-head' }, [
        dom.el('span', { class: 'step-tool', title: step.tool, attrs: { 'data-tool': step.tool } }, [icon(dom, toolIcon)]),
        dom.el('span', { class: 'step-title', text: step.title, title: step.title }),
        dom.el('span', { class: `step-status status-${step.status}`, testid: 'step-status', attrs: { 'data-status': step.status } }, [
          icon(dom, STATUS_ICONS[step.status]),
          dom.el('span', { class: 'step-status-text', text: STATUS_LABELS[step.status] }),
        ]),
      ]),
      step.why ? dom.el('div', { class: 'step-why muted', text: step.why }) : null,
      step.changeSet ? this.renderChanges(step) : null,
      step.verdict ? this.renderVerdict(step) : null,
      step.output ? this.renderOutput(step) : null,
      step.approval ? this.renderApproval(step) : null,
      step.checkpoint ? this.renderRestore(step) : null,
    ]);
  }

  private renderChanges(step: StepView): HTMLElement {
    const { dom } = this.deps;
    const files = summarizeChangeSet(step.changeSet ?? { format: 'applyPatch', changes: [] });
    return dom.el('div', { class: 'step-changes' }, [
      dom.el('ul', { class: 'step-files', attrs: { 'aria-label': 'Files changed' } }, files.map((file) =>
        dom.el('li', { class: `step-file file-${file.kind}`, title: file.label }, [
          dom.el('span', { class: 'step-file-name', text: file.label }),
          file.kind !== 'update' ? dom.el('span', { class: 'step-file-kind muted', text: file.kind === 'add' ? 'new' : 'deleted' }) : null,
          dom.el('span', { class: 'step-added', text: `+${file.added}`, attrs: { 'aria-label': `${file.added} lines added` } }),
          dom.el('span', { class: 'step-removed', text: `−${file.removed}`, attrs: { 'aria-label': `${file.removed} lines removed` } }),
        ]))),
      dom.el('div', { class: 'step-actions' }, [
        this.actionButton(step, 'review', 'Review', 'Review the changes in the editor', 'step-review', 'secondary', 'diff'),
      ]),
    ]);
  }

  /** The checks on the edit: the verdict in a few words, then each security finding (the fix is in its tooltip). */
  private renderVerdict(step: StepView): HTMLElement | null {
    const { dom } = this.deps;
    const verdict = step.verdict;
    if (!verdict) return null;
    const flagged = verdict.findings.length > 0 || verdict.project.some((check) => check.status === 'failed' || check.status === 'timedOut' || check.status === 'error');
    return dom.el('div', { class: `step-checks${flagged ? ' step-checks-flagged' : ''}`, testid: 'step-checks' }, [
      dom.el('div', { class: 'step-verdict', testid: 'step-verdict', attrs: { role: 'status' } }, [
        icon(dom, flagged ? 'shield' : 'check'),
        dom.el('span', { class: 'step-verdict-text', text: verdictText(verdict) }),
      ]),
      verdict.findings.length > 0
        ? dom.el('ul', { class: 'step-findings', attrs: { 'aria-label': 'Security findings' } }, verdict.findings.map((finding) =>
          dom.el('li', { class: `step-finding severity-${finding.severity}`, testid: 'step-finding', title: finding.fix ? `Fix: ${finding.fix}` : finding.why }, [
            dom.el('span', { class: 'step-finding-rule', text: finding.rule }),
            dom.el('span', { class: 'step-finding-where muted', text: `${finding.path}:${finding.line}` }),
            dom.el('span', { class: 'step-finding-why', text: finding.why }),
          ])))
        : null,
    ]);
  }

  private renderOutput(step: StepView): HTMLElement {
    const { dom } = this.deps;
    const live = step.status === 'running' && step.tool === 'run_command';
    const details = dom.el('details', { class: 'step-output' }, [
      dom.el('summary', { class: 'muted', text: live ? 'Output (live)' : 'Output' }),
      dom.el('pre', { class: 'step-output-text', text: step.output ?? '', attrs: { tabindex: '0', 'aria-label': `Output of ${step.title}` } }),
    ]);
    details.open = this.outputChoice ?? (live || step.status === 'failed');
    details.addEventListener('toggle', () => {
      this.outputChoice = details.open;
    });
    return details;
  }

  private renderApproval(step: StepView): HTMLElement {
    const { dom } = this.deps;
    const approval = step.approval!;
    const prompt = dom.el('p', { class: 'step-prompt', testid: 'step-prompt' }, promptParts(dom, approval.prompt));
    if (approval.kind === 'question') {
      const input = dom.el('input', {
        class: 'step-answer',
        testid: 'step-answer',
        label: 'Your answer',
        attrs: { type: 'text', placeholder: 'Your answer' },
      });
      input.value = this.answerDraft;
      const send = (): void => {
        const answer = input.value.trim();
        if (answer) {
          this.act(step, 'approve', answer);
        }
      };
      input.addEventListener('input', () => {
        this.answerDraft = input.value;
      });
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && !event.isComposing) {
          event.preventDefault();
          send();
        }
      });
      return dom.el('div', { class: 'step-approval', attrs: { role: 'group', 'aria-label': 'The agent asks' } }, [
        prompt,
        dom.el('div', { class: 'step-actions' }, [
          input,
          dom.button('Send the answer', { class: 'button primary small', testid: 'step-approve', text: 'Send', onClick: send }),
          this.actionButton(step, 'reject', 'Skip', 'Do not answer', 'step-reject', 'secondary'),
        ]),
      ]);
    }
    return dom.el('div', { class: 'step-approval', attrs: { role: 'group', 'aria-label': 'Approval needed' } }, [
      prompt,
      dom.el('div', { class: 'step-actions' }, [
        this.actionButton(step, 'approve', 'Approve', 'Approve this step', 'step-approve', 'primary'),
        this.actionButton(step, 'reject', 'Reject', 'Reject this step', 'step-reject', 'secondary'),
        approval.kind === 'command'
          ? this.actionButton(step, 'allowForTask', 'Allow for this task', 'Run this command without asking again during this task', 'step-allow', 'secondary')
          : null,
        approval.kind === 'mcp'
          ? this.actionButton(step, 'allowForTask', 'Allow for this task', 'Call this tool without asking again during this task', 'step-allow', 'secondary')
          : null,
        approval.kind === 'mcp' && approval.alwaysAllow
          ? this.actionButton(step, 'alwaysAllow', `Always allow ${approval.alwaysAllow}`, `Call ${approval.alwaysAllow} without asking, in every task (adds it to tandem.mcp.alwaysAllow in your user settings)`, 'step-always-allow', 'secondary')
          : null,
      ]),
    ]);
  }

  private renderRestore(step: StepView): HTMLElement {
    return this.deps.dom.el('div', { class: 'step-actions step-restore-row' }, [
      this.actionButton(step, 'restore', 'Restore to here', 'Undo the changes made from this step on', 'step-restore', 'link', 'restore'),
    ]);
  }

  private actionButton(step: StepView, action: StepAction, text: string, label: string, testid: string, style: 'primary' | 'secondary' | 'link', iconName?: IconName): HTMLButtonElement {
    const { dom } = this.deps;
    const button: HTMLButtonElement = dom.button(label, {
      class: style === 'link' ? 'step-link' : `button ${style} small`,
      testid,
      onClick: () => this.act(step, action, undefined, button),
    }, [iconName ? icon(dom, iconName) : null, dom.el('span', { text })]);
    return button;
  }

  private act(step: StepView, action: StepAction, answer?: string, button?: HTMLButtonElement): void {
    if (this.pending || button?.disabled) {
      return;
    }
    this.deps.post({ type: 'stepAction', messageId: this.deps.messageId, stepId: step.id, action, ...(answer !== undefined ? { answer } : {}) });
    if (action !== 'review' && action !== 'restore') {
      // A decision: the whole card waits for the step's next update.
      this.setPending(true);
      return;
    }
    // Review / Restore open something in the editor that may be dismissed without any step update.
    if (button) {
      button.disabled = true;
      const key = this.key;
      this.deps.dom.win.setTimeout(() => {
        if (this.key === key && button.isConnected) {
          button.disabled = false;
        }
      }, REENABLE_AFTER_MS);
    }
  }

  private setPending(pending: boolean): void {
    this.pending = pending;
    this.element.setAttribute('aria-busy', String(pending));
    for (const control of Array.from(this.element.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input'))) {
      control.disabled = pending;
    }
  }

  private focusedTestId(): string | undefined {
    const active = this.element.ownerDocument.activeElement as HTMLElement | null;
    return active && this.element.contains(active) ? active.dataset.testid : undefined;
  }

  private restoreFocus(testid: string | undefined): void {
    if (testid) {
      this.element.querySelector<HTMLElement>(`[data-testid="${testid}"]`)?.focus();
    }
  }

  /** Where the output was scrolled, or 'bottom' when it followed the end. */
  private outputScroll(): number | 'bottom' | undefined {
    const pre = this.element.querySelector<HTMLElement>('.step-output-text');
    if (!pre) {
      return undefined;
    }
    return pre.scrollHeight - pre.scrollTop - pre.clientHeight <= 4 ? 'bottom' : pre.scrollTop;
  }

  private restoreOutputScroll(scroll: number | 'bottom' | undefined): void {
    const pre = this.element.querySelector<HTMLElement>('.step-output-text');
    if (pre) {
      pre.scrollTop = scroll === undefined || scroll === 'bottom' ? pre.scrollHeight : scroll;
    }
  }
}

/** The prompt sentence, with `backticked` parts as inline code (still text nodes only). */
function promptParts(dom: Dom, prompt: string): Array<Node | string> {
  return prompt.split('`').map((part, index) => (index % 2 === 1 ? dom.el('code', { text: part }) : part));
}

/** The ordered cards of one assistant message. */
export class StepList {
  readonly element: HTMLElement;
  private readonly cards = new Map<string, StepCard>();

  constructor(private readonly deps: StepCardDeps) {
    this.element = deps.dom.el('ol', { class: 'step-list', testid: 'step-list', attrs: { 'aria-label': 'Agent steps' } });
    this.element.hidden = true;
  }

  get size(): number {
    return this.cards.size;
  }

  /** A whole list (from state/messageUpdate): cards are kept, updated, added, reordered and removed by id. */
  sync(steps: readonly StepView[]): void {
    const seen = new Set<string>();
    let cursor = this.element.firstChild;
    for (const step of steps) {
      seen.add(step.id);
      let card = this.cards.get(step.id);
      if (card) {
        card.update(step);
      } else {
        card = new StepCard(this.deps, step);
        this.cards.set(step.id, card);
      }
      if (card.element === cursor) {
        cursor = cursor.nextSibling;
      } else {
        this.element.insertBefore(card.element, cursor);
      }
    }
    for (const [id, card] of this.cards) {
      if (!seen.has(id)) {
        card.element.remove();
        this.cards.delete(id);
      }
    }
    this.element.hidden = this.cards.size === 0;
  }

  /** One step (live `agentStep`): its card changes in place, or a new card goes at the end. */
  upsert(step: StepView): void {
    const card = this.cards.get(step.id);
    if (card) {
      card.update(step);
      return;
    }
    const created = new StepCard(this.deps, step);
    this.cards.set(step.id, created);
    this.element.append(created.element);
    this.element.hidden = false;
  }
}
