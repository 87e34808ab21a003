/**
 * The checks on every proposal under review (docs/checks.md): as a review
 * opens, whatever opened it, the security verdict is asked of the service
 * (milliseconds) and the project's checks are started when there is a
 * source for them; the verdict so far is kept per review and every change
 * is announced. The project's checks are cancelled when the review ends.
 *
 * Accepting changes that hold a high-severity finding asks the person once
 * more, once per review; an Accept pressed before the security verdict is
 * back waits for it. Only reviews a person decides are asked about: under
 * the agent's auto-edit and full-auto policies the agent gets the findings
 * in its tool result and is to fix them before it finishes.
 *
 * No runtime import of vscode: the glue (reviewChecks.ts) gives it a
 * service and a way to ask, so the state machine is unit-tested in Node.
 */
import type * as vscode from 'vscode';
import type { CheckFinding, ProjectCheckResult, ProposalVerdict } from '../../shared/checks';
import { errorMessage } from '../../shared/guards';
import type { CheckedReview, ProjectCheckSource, SecurityCheckClient } from './types';

/** How far the security checks got for a review. */
export type SecurityState = 'checking' | 'done' | 'failed';

export interface VerificationState {
  verdict: ProposalVerdict;
  security: SecurityState;
  /** Why the security checks gave no verdict (the service did not answer). */
  problem?: string;
}

export interface VerificationDeps {
  security: SecurityCheckClient;
  projectChecks?: ProjectCheckSource;
  /** Asks the person whether to accept despite `findings` (high severity); true = accept anyway. */
  confirm(review: CheckedReview, findings: readonly CheckFinding[]): Promise<boolean>;
  log?: (message: string) => void;
  /** How long an Accept waits for a security verdict that is late (the service not answering) before it goes ahead. */
  securityTimeoutMs?: number;
}

interface Entry {
  review: CheckedReview;
  state: VerificationState;
  securityDone: Promise<void>;
  projectRunning: boolean;
  cancel: TokenSource;
  /** The person chose "Accept Anyway" once: this review is not asked about again. */
  confirmed: boolean;
  asking: Promise<boolean> | undefined;
}

const DEFAULT_SECURITY_TIMEOUT_MS = 15_000;
/** Verdicts of ended reviews kept for whoever reports on them afterwards (the agent's tool result). */
const ENDED_KEPT = 50;

export class ProposalVerification {
  private readonly entries = new Map<string, Entry>();
  private readonly ended = new Map<string, ProposalVerdict>();
  private readonly listeners = new Set<(reviewId: string) => void>();

  constructor(private readonly deps: VerificationDeps) {}

  /** Starts the checks of a review that just opened. */
  start(review: CheckedReview): void {
    if (this.entries.has(review.id)) return;
    const cancel = new TokenSource();
    const entry: Entry = {
      review,
      state: { verdict: { findings: [], project: [], running: true }, security: 'checking' },
      securityDone: Promise.resolve(),
      projectRunning: this.deps.projectChecks !== undefined,
      cancel,
      confirmed: false,
      asking: undefined,
    };
    this.entries.set(review.id, entry);
    entry.securityDone = this.runSecurity(entry);
    if (this.deps.projectChecks) void this.runProject(entry, this.deps.projectChecks);
    this.fire(review.id);
  }

  /** The review was decided or closed: its project checks stop, its verdict is dropped. */
  end(reviewId: string): void {
    const entry = this.entries.get(reviewId);
    if (!entry) return;
    this.entries.delete(reviewId);
    entry.cancel.cancel();
    // What was known when it ended: the project's checks cut short are not running any more.
    this.ended.set(reviewId, { ...entry.state.verdict, running: false });
    for (const old of this.ended.keys()) {
      if (this.ended.size <= ENDED_KEPT) break;
      this.ended.delete(old);
    }
    this.fire(reviewId);
  }

  state(reviewId: string): VerificationState | undefined {
    return this.entries.get(reviewId)?.state;
  }

  /** The verdict so far, or the last one of a review that ended. */
  verdict(reviewId: string): ProposalVerdict | undefined {
    return this.entries.get(reviewId)?.state.verdict ?? this.ended.get(reviewId);
  }

  /** Resolves once the security verdict is in (or failed); at once for an unknown review. */
  async securityVerdict(reviewId: string): Promise<VerificationState | undefined> {
    const entry = this.entries.get(reviewId);
    if (!entry) return undefined;
    await entry.securityDone;
    return entry.state;
  }

  onDidChange(listener: (reviewId: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Whether accepting may go ahead. `selected` picks, from the review's
   * findings, those in the changes being accepted. Asks the person when
   * one of them is high severity, unless they already said "Accept Anyway"
   * in this review; accepts pressed while the question is open share it.
   */
  async mayAccept(reviewId: string, selected: (findings: readonly CheckFinding[]) => CheckFinding[]): Promise<boolean> {
    const entry = this.entries.get(reviewId);
    if (!entry || entry.review.actor !== 'person') return true;
    await entry.securityDone;
    const high = selected(entry.state.verdict.findings).filter((finding) => finding.severity === 'high');
    if (high.length === 0 || entry.confirmed) return true;
    entry.asking ??= this.deps.confirm(entry.review, high).then(
      (yes) => {
        entry.asking = undefined;
        if (yes) entry.confirmed = true;
        return yes;
      },
      (error: unknown) => {
        entry.asking = undefined;
        this.deps.log?.(`Could not ask about the security findings: ${errorMessage(error)}`);
        return false;
      },
    );
    return entry.asking;
  }

  dispose(): void {
    for (const id of [...this.entries.keys()]) this.end(id);
    this.listeners.clear();
  }

  private async runSecurity(entry: Entry): Promise<void> {
    const { review } = entry;
    let findings: CheckFinding[] | undefined = review.findings;
    let problem: string | undefined;
    if (!findings) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeoutMs = this.deps.securityTimeoutMs ?? DEFAULT_SECURITY_TIMEOUT_MS;
      const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`the security checks did not answer within ${Math.round(timeoutMs / 1000)} s`), timeoutMs)));
      try {
        const asked = this.deps.security
          .securityCheck(
            {
              changeSet: review.changeSet,
              reviewId: review.id,
              ...(review.proposalId ? { proposalId: review.proposalId } : {}),
              ...(review.task ? { task: review.task } : {}),
              ...(review.step ? { step: review.step } : {}),
            },
            entry.cancel.token,
          )
          .then((result) => result.findings);
        const answer = await Promise.race([asked, late]);
        if (typeof answer === 'string') problem = answer;
        else findings = answer;
      } catch (error) {
        problem = `the security checks failed: ${errorMessage(error)}`;
      } finally {
        clearTimeout(timer);
      }
    }
    if (this.entries.get(review.id) !== entry) return;
    if (problem) this.deps.log?.(`Review ${review.id}: ${problem}`);
    entry.state = {
      verdict: { ...entry.state.verdict, findings: findings ?? [] },
      security: findings ? 'done' : 'failed',
      ...(problem ? { problem } : {}),
    };
    this.update(entry);
  }

  private async runProject(entry: Entry, source: ProjectCheckSource): Promise<void> {
    const { review } = entry;
    const progress = (results: ProjectCheckResult[]): void => {
      if (this.entries.get(review.id) !== entry) return;
      entry.state = { ...entry.state, verdict: { ...entry.state.verdict, project: [...results] } };
      this.update(entry);
    };
    let results: ProjectCheckResult[] | undefined;
    try {
      results = await source.run({ folder: review.folder, changeSet: review.changeSet, reviewId: review.id, ...(review.proposalId ? { proposalId: review.proposalId } : {}) }, entry.cancel.token, progress);
    } catch (error) {
      if (!entry.cancel.token.isCancellationRequested) this.deps.log?.(`Review ${review.id}: the project's checks failed: ${errorMessage(error)}`);
    }
    if (this.entries.get(review.id) !== entry) return;
    entry.projectRunning = false;
    if (results) entry.state = { ...entry.state, verdict: { ...entry.state.verdict, project: [...results] } };
    this.update(entry);
  }

  private update(entry: Entry): void {
    const running = entry.state.security === 'checking' || entry.projectRunning;
    entry.state = { ...entry.state, verdict: { ...entry.state.verdict, running } };
    this.fire(entry.review.id);
  }

  private fire(reviewId: string): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(reviewId);
      } catch (error) {
        this.deps.log?.(`A listener of the checks failed: ${errorMessage(error)}`);
      }
    }
  }
}

/** A cancellation token without the vscode module (it is only a shape): cancelled once, listeners told once. */
class TokenSource {
  private readonly state = { cancelled: false };
  private readonly listeners = new Set<() => void>();
  readonly token: vscode.CancellationToken;

  constructor() {
    const { state, listeners } = this;
    this.token = {
      get isCancellationRequested() {
        return state.cancelled;
      },
      onCancellationRequested: (listener: (event: unknown) => unknown) => {
        const once = (): void => void listener(undefined);
        if (state.cancelled) {
          queueMicrotask(once);
          return { dispose: () => undefined };
        }
        listeners.add(once);
        return { dispose: () => listeners.delete(once) };
      },
    };
  }

  cancel(): void {
    if (this.state.cancelled) return;
    this.state.cancelled = true;
    for (const listener of [...this.listeners]) listener();
    this.listeners.clear();
  }
}
