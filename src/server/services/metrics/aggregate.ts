/**
 * Metrics from the audit trail in one pass: every event is looked at once and
 * dropped; what is kept is counters per UTC day, bounded percentile samples
 * (quantiles.ts) and the few open links a later event may close — proposals
 * waiting for their first decision, agent tasks under way, files with
 * accepted changes — each capped at MAX_OPEN (the oldest is forgotten first),
 * so memory does not grow with the trail. docs/audit.md#metrics defines each
 * figure. Events may come in any order or refer to what the range does not
 * hold (a decision without its proposal, a restore of a file never accepted):
 * each figure then counts only what it can.
 */
import { readFileSync } from 'node:fs';
import type { CompletionFigures, MetricsReport, PeriodFigures, TokenFigures } from '../../../shared/metrics';
import { METRICS_SCHEMA_VERSION } from '../../../shared/metrics';
import { isRecord } from '../../../shared/guards';
import { listChains } from '../audit/files';
import { emptyCompletions, emptyPeriod, emptyTokens, finishPeriod } from './figures';
import { languageOf } from './language';
import { QuantileSketch } from './quantiles';
import { looksLikeTest } from './tests';

/** Most open proposals, tasks and files kept at once. */
export const MAX_OPEN = 100_000;

export interface MetricsRange {
  /** Milliseconds since the epoch, inclusive. */
  since?: number;
  until?: number;
}

interface OpenTask {
  start?: number;
  /** Outcome of the last test-like command that ran: true passed. */
  lastTest?: boolean;
}

type Fields = Record<string, unknown>;

/** Where `"time":"` starts at the latest in a line the writer made: after `{"v":N,"seq":N,` (sequence numbers up to 16 digits). */
const ENVELOPE_TIME_AT = 40;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Sets `key` to `value` in a capped map (re-inserting moves it to the newest end). */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_OPEN) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}

export class MetricsAggregator {
  private readonly days = new Map<string, PeriodFigures>();
  private readonly totals = emptyPeriod();
  private readonly sinceIso: string | undefined;
  private readonly untilIso: string | undefined;
  private events = 0;
  private skipped = 0;
  private first: string | undefined;
  private last: string | undefined;
  private readonly proposals = new Map<string, number>();
  private forgottenProposals = 0;
  private readonly timeToDecision = new QuantileSketch();
  private readonly tasks = new Map<string, OpenTask>();
  private readonly taskDuration = new QuantileSketch();
  private readonly stepsPerTask = new QuantileSketch();
  private readonly acceptedByPath = new Map<string, number>();
  private acceptedThenRestored = 0;
  private readonly refusals: Record<string, number> = {};
  private readonly commandRefusals: Record<string, number> = {};
  private lastTestPassed = 0;
  private lastTestFailed = 0;
  private readonly ttft = new Map<string, Map<string, QuantileSketch>>();

  constructor(range: MetricsRange = {}) {
    this.sinceIso = range.since !== undefined ? new Date(range.since).toISOString() : undefined;
    this.untilIso = range.until !== undefined ? new Date(range.until).toISOString() : undefined;
  }

  /** One line of an audit file, as written. */
  addLine(line: string): void {
    if (this.outsideRange(line)) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.skipped += 1;
      return;
    }
    this.add(value);
  }

  /**
   * A line the writer made (`{"v":1,"seq":N,"time":"…",…`) whose time is
   * outside the range: skipped without parsing it (parsing is most of the
   * cost). Any other line is parsed and judged by add().
   */
  private outsideRange(line: string): boolean {
    if (this.sinceIso === undefined && this.untilIso === undefined) return false;
    const at = line.indexOf('"time":"');
    if (at === -1 || at > ENVELOPE_TIME_AT) return false;
    const time = line.slice(at + 8, at + 32);
    if (line.charCodeAt(at + 32) !== 0x22 || !ISO.test(time)) return false;
    return (this.sinceIso !== undefined && time < this.sinceIso) || (this.untilIso !== undefined && time > this.untilIso);
  }

  /** One event (a parsed line); anything that is not an event is counted as skipped. */
  add(value: unknown): void {
    if (!isRecord(value) || typeof value.type !== 'string' || typeof value.time !== 'string') {
      this.skipped += 1;
      return;
    }
    // The writer's times are all of one ISO form, so they compare as strings (fast); any other form is normalised.
    let time = value.time;
    if (!ISO.test(time)) {
      const parsed = Date.parse(time);
      if (Number.isNaN(parsed)) {
        this.skipped += 1;
        return;
      }
      time = new Date(parsed).toISOString();
    }
    if ((this.sinceIso !== undefined && time < this.sinceIso) || (this.untilIso !== undefined && time > this.untilIso)) return;
    this.events += 1;
    if (this.first === undefined || time < this.first) this.first = time;
    if (this.last === undefined || time > this.last) this.last = time;
    const day = time.slice(0, 10);
    let period = this.days.get(day);
    if (!period) {
      period = emptyPeriod();
      this.days.set(day, period);
    }
    period.events += 1;
    this.totals.events += 1;
    this.count(value, time, [period, this.totals]);
  }

  private count(event: Fields, time: string, periods: readonly PeriodFigures[]): void {
    switch (event.type) {
      case 'completion.shown':
      case 'completion.accepted':
      case 'completion.partiallyAccepted':
        return this.completion(event, periods);
      case 'model.request':
        return this.modelRequest(event, periods);
      case 'proposal': {
        for (const period of periods) period.proposals += 1;
        const id = str(event.proposal);
        if (id !== undefined && !this.proposals.has(id)) {
          if (this.proposals.size >= MAX_OPEN) this.forgottenProposals += 1;
          remember(this.proposals, id, Date.parse(time));
        }
        return;
      }
      case 'decision':
        return this.decision(event, time, periods);
      case 'restore':
        return this.restore(event);
      case 'agent.start': {
        for (const period of periods) period.agent.started += 1;
        const task = str(event.task);
        if (task !== undefined) remember(this.tasks, task, { start: Date.parse(time) });
        return;
      }
      case 'agent.step':
        for (const period of periods) period.agent.steps += 1;
        return;
      case 'agent.command':
        return this.command(event, periods);
      case 'agent.end':
        return this.agentEnd(event, time, periods);
    }
  }

  private completion(event: Fields, periods: readonly PeriodFigures[]): void {
    const language = languageOf(str(event.path));
    const chars = num(event.chars) ?? 0;
    const accepted = num(event.acceptedChars) ?? (event.type === 'completion.accepted' ? chars : 0);
    for (const period of periods) {
      const byLanguage = (period.completionsByLanguage[language] ??= emptyCompletions());
      for (const figures of [period.completions, byLanguage] as CompletionFigures[]) {
        if (event.type === 'completion.shown') {
          figures.shown += 1;
          figures.charsShown += chars;
        } else {
          if (event.type === 'completion.accepted') figures.accepted += 1;
          else figures.partiallyAccepted += 1;
          figures.charsAccepted += accepted;
        }
      }
    }
  }

  private modelRequest(event: Fields, periods: readonly PeriodFigures[]): void {
    const model = str(event.model) || 'unknown';
    const tokens = isRecord(event.tokens) ? event.tokens : undefined;
    for (const period of periods) {
      for (const figures of [period.tokens, (period.tokensByModel[model] ??= emptyTokens())] as TokenFigures[]) {
        figures.requests += 1;
        if (tokens) {
          figures.counted += 1;
          figures.prompt += num(tokens.prompt) ?? 0;
          figures.completion += num(tokens.completion) ?? 0;
          figures.total += num(tokens.total) ?? 0;
        }
      }
    }
    const ttft = num(event.ttftMs);
    if (ttft !== undefined) {
      const purpose = str(event.purpose) || 'unknown';
      let byPurpose = this.ttft.get(model);
      if (!byPurpose) this.ttft.set(model, (byPurpose = new Map()));
      let sketch = byPurpose.get(purpose);
      if (!sketch) byPurpose.set(purpose, (sketch = new QuantileSketch()));
      sketch.add(ttft);
    }
  }

  private decision(event: Fields, time: string, periods: readonly PeriodFigures[]): void {
    const outcome = event.decision;
    if (outcome !== 'accepted' && outcome !== 'rejected' && outcome !== 'refused') return;
    for (const period of periods) period.decisions[outcome] += 1;
    const id = str(event.proposal);
    const proposed = id !== undefined ? this.proposals.get(id) : undefined;
    if (id !== undefined && proposed !== undefined) {
      this.proposals.delete(id);
      const elapsed = Date.parse(time) - proposed;
      if (elapsed >= 0) this.timeToDecision.add(elapsed);
    }
    const path = str(event.path);
    if (outcome === 'accepted' && path !== undefined) remember(this.acceptedByPath, path, (this.acceptedByPath.get(path) ?? 0) + 1);
    if (outcome === 'refused') {
      const reason = str(event.reason) ?? '';
      this.refusals[reason] = (this.refusals[reason] ?? 0) + 1;
    }
  }

  private restore(event: Fields): void {
    if (!Array.isArray(event.files)) return;
    for (const file of event.files) {
      const path = isRecord(file) ? str(file.path) : undefined;
      if (path === undefined) continue;
      this.acceptedThenRestored += this.acceptedByPath.get(path) ?? 0;
      this.acceptedByPath.delete(path);
    }
  }

  private command(event: Fields, periods: readonly PeriodFigures[]): void {
    const ran = event.approved === true && (event.decision === 'run' || event.decision === 'ask');
    for (const period of periods) {
      period.agent.commands += 1;
      if (ran) period.agent.commandsRun += 1;
    }
    const refusal = event.decision === 'deny' || event.decision === 'limit' ? event.decision : event.approved === false ? 'rejected' : undefined;
    if (refusal !== undefined) this.commandRefusals[refusal] = (this.commandRefusals[refusal] ?? 0) + 1;
    const task = str(event.task);
    const command = str(event.command);
    const exitCode = num(event.exitCode);
    if (!ran || task === undefined || command === undefined || exitCode === undefined || !looksLikeTest(command)) return;
    const open = this.tasks.get(task) ?? {};
    open.lastTest = exitCode === 0 && event.timedOut !== true;
    if (!this.tasks.has(task)) remember(this.tasks, task, open);
  }

  private agentEnd(event: Fields, time: string, periods: readonly PeriodFigures[]): void {
    for (const period of periods) period.agent.ended += 1;
    const task = str(event.task);
    const open = task !== undefined ? this.tasks.get(task) : undefined;
    if (task !== undefined) this.tasks.delete(task);
    const steps = num(event.steps);
    if (open?.start !== undefined) {
      const elapsed = Date.parse(time) - open.start;
      if (elapsed >= 0) this.taskDuration.add(elapsed);
      if (steps !== undefined) this.stepsPerTask.add(steps);
    }
    if (open?.lastTest === true) this.lastTestPassed += 1;
    else if (open?.lastTest === false) this.lastTestFailed += 1;
  }

  report(): MetricsReport {
    const ttftMs: MetricsReport['speed']['ttftMs'] = {};
    for (const [model, byPurpose] of [...this.ttft].sort(([a], [b]) => a.localeCompare(b))) {
      ttftMs[model] = Object.fromEntries([...byPurpose].sort(([a], [b]) => a.localeCompare(b)).map(([purpose, sketch]) => [purpose, sketch.result()]));
    }
    const totals = finishPeriod(structuredClone(this.totals));
    return {
      v: METRICS_SCHEMA_VERSION,
      range: { ...(this.sinceIso !== undefined ? { since: this.sinceIso } : {}), ...(this.untilIso !== undefined ? { until: this.untilIso } : {}) },
      ...(this.first !== undefined ? { first: this.first } : {}),
      ...(this.last !== undefined ? { last: this.last } : {}),
      events: this.events,
      skipped: this.skipped,
      days: [...this.days]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([day, period]) => ({ day, ...finishPeriod(structuredClone(period)) })),
      totals,
      velocity: {
        timeToDecisionMs: this.timeToDecision.result(),
        undecidedProposals: this.proposals.size + this.forgottenProposals,
        taskDurationMs: this.taskDuration.result(),
        stepsPerTask: this.stepsPerTask.result(),
      },
      quality: {
        changes: { ...totals.decisions },
        acceptedThenRestored: this.acceptedThenRestored,
        refusalsByReason: { ...this.refusals },
        commandRefusals: { ...this.commandRefusals },
        tasksLastTestPassed: this.lastTestPassed,
        tasksLastTestFailed: this.lastTestFailed,
        checkFindings: null,
      },
      speed: { ttftMs },
    };
  }
}

/**
 * The metrics of every chain of `dir` within `range`. Reads one file (at most
 * the writer's 8 MiB) at a time, line by line; the piece after a file's last
 * newline is torn (or empty) and not an event. An empty or missing folder
 * gives a report of zeros.
 */
export function aggregateFolder(dir: string, range: MetricsRange = {}): MetricsReport {
  const aggregator = new MetricsAggregator(range);
  for (const segments of listChains(dir).values()) {
    for (const segment of segments) {
      const text = readFileSync(segment.path, 'utf8');
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        if (end > start) aggregator.addLine(text.slice(start, end));
        start = end + 1;
      }
    }
  }
  return aggregator.report();
}
