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
 *
 * Parsing the lines is the largest cost (a million events: about half
 * of the time is JSON.parse); the rest is kept free of allocations per event.
 */
import type { CheckFigures, CompletionFigures, MetricsReport, PeriodFigures, TokenFigures } from '../../../shared/metrics';
import { METRICS_SCHEMA_VERSION } from '../../../shared/metrics';
import { isRecord } from '../../../shared/guards';
import { addPeriod, emptyCompletions, emptyPeriod, emptyTokens, entry, finishPeriod } from './figures';
import { languageOf } from './language';
import { costOf, priceTable, PRICES_AS_OF, type PriceTable } from './prices';
import { QuantileSketch } from './quantiles';
import { looksLikeTest } from './tests';

/** Most open proposals, tasks and files kept at once. */
export const MAX_OPEN = 100_000;

/** Paths whose language is remembered at once. */
const MAX_LANGUAGE_CACHE = 10_000;

export interface MetricsRange {
  /** Milliseconds since the epoch, inclusive. */
  since?: number;
  until?: number;
}

export interface MetricsOptions {
  /** The person's prices (`tandem.metrics.prices`), model id or `prefix*` → USD per 1M tokens; malformed entries are left out. */
  prices?: Readonly<Record<string, unknown>>;
}

interface OpenTask {
  start?: number;
  /** Outcome of the last test-like command that ran: true passed. */
  lastTest?: boolean;
}

/** A proposal not decided yet: when it was made, and whether a check found something high before its decision. */
interface OpenProposal {
  time: number;
}

type Fields = Record<string, unknown>;

/**
 * A later part of the trail aggregated on its own (parallel.ts): its
 * counters, which add up whatever the order, and, in trail order, what
 * depends on earlier events or on the order of additions: the events that
 * link to others (proposals, decisions, checks, restores, agent tasks), the
 * time-to-first-token samples (kept by a seeded reservoir) and the costs
 * (sums of fractions, whose rounding follows the order). The aggregator of
 * the earlier part merges it: the figures are those of one pass over both.
 * Structured-cloneable, and strings and typed arrays only: it crosses from a
 * worker thread, and cloning many small objects costs more than JSON.
 */
export interface MetricsPartial {
  /** False when a summed value is not a small integer: the sums of parts could then differ from one sum in order, so the part is aggregated again in order. */
  exact: boolean;
  events: number;
  skipped: number;
  first?: string;
  last?: string;
  days: [string, PeriodFigures][];
  totals: PeriodFigures;
  unpricedModels: string[];
  /** The fields of the linked events that count() reads, in order, as a JSON array (the events came from JSON: the same values). */
  linked: string;
  /** Per model and purpose, the samples in order. */
  ttft: [string, string, Float64Array][];
  /** Each cost in order: its day and model (an index into `costKeys`, pairs day, model) and USD. */
  costKeys: string[];
  costAt: Int32Array;
  costUsd: Float64Array;
}

/** Event types whose figures depend on earlier events: a partial keeps them for the merge, in order. */
const LINKED = new Set(['proposal', 'decision', 'checks', 'restore', 'agent.start', 'agent.command', 'agent.end']);

/** The fields count() reads from a linked event; the rest (policies, file lists, hashes) need not cross threads. */
const LINKED_FIELDS = ['type', 'proposal', 'decision', 'path', 'reason', 'stage', 'findings', 'checks', 'files', 'task', 'approved', 'command', 'exitCode', 'timedOut', 'steps'] as const;

/** Largest value a partial sums: sums of parts then stay exact (below 2^53) up to 2^21 such values. */
const SUMMABLE = 2 ** 32;

function summable(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) <= SUMMABLE;
}

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

/** Adds `key` to a capped set. */
function rememberKey<K>(set: Set<K>, key: K): void {
  set.add(key);
  if (set.size > MAX_OPEN) {
    const oldest = set.values().next();
    if (!oldest.done) set.delete(oldest.value);
  }
}

function bump(counts: Record<string, number>, key: string, by = 1): void {
  const value = (Object.hasOwn(counts, key) ? (counts[key] ?? 0) : 0) + by;
  Object.defineProperty(counts, key, { value, enumerable: true, writable: true, configurable: true });
}

function emptyChecks(): CheckFigures {
  return { proposalsChecked: 0, findingsBeforeDecision: 0, findingsBySeverity: {}, findingsByRule: {}, findingsAfterDecision: 0, projectChecksByStatus: {}, acceptedWithHighFinding: 0 };
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
  /** The day of the previous event and its figures: events come in time order, so most land on the same day. */
  private dayKey = '';
  private dayFigures: PeriodFigures | undefined;
  private readonly proposals = new Map<string, OpenProposal>();
  private forgottenProposals = 0;
  private readonly decided = new Set<string>();
  private readonly checked = new Set<string>();
  /** Proposals with a high-severity finding before their decision; a later acceptance counts once. */
  private readonly highFinding = new Set<string>();
  private readonly checks = emptyChecks();
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
  private readonly languages = new Map<string, string>();
  private readonly prices: PriceTable;
  private readonly unpricedModels = new Set<string>();
  /** Set when this aggregator makes a MetricsPartial: what the merge replays, in order. */
  private readonly ops: { linked: Fields[]; ttft: Map<string, [string, string, number[]]>; costKeys: Map<string, number>; costAt: number[]; costUsd: number[] } | undefined;
  private exact = true;

  /** `partial`: this aggregates a later part of the trail, for partial() and an earlier part's merge(). */
  constructor(range: MetricsRange = {}, options: MetricsOptions = {}, partial = false) {
    this.ops = partial ? { linked: [], ttft: new Map(), costKeys: new Map(), costAt: [], costUsd: [] } : undefined;
    this.sinceIso = range.since !== undefined ? new Date(range.since).toISOString() : undefined;
    this.untilIso = range.until !== undefined ? new Date(range.until).toISOString() : undefined;
    this.prices = priceTable(options.prices);
  }

  /** The text of an audit file: its lines; the piece after the last newline is torn (or empty) and not an event. */
  addText(text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      if (end > start) this.addLine(text.slice(start, end));
      start = end + 1;
    }
  }

  /** One line of an audit file, as written (JSON.parse is most of the cost: V8's parser beats any reader written here, measured). */
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
    if (this.ops !== undefined && LINKED.has(value.type)) {
      this.ops.linked.push(linkedFields(value, time));
      return;
    }
    this.events += 1;
    if (this.first === undefined || time < this.first) this.first = time;
    if (this.last === undefined || time > this.last) this.last = time;
    const day = this.period(time);
    day.events += 1;
    this.totals.events += 1;
    this.count(value, time, day, this.totals);
  }

  /** The figures of the event's UTC day. */
  private period(time: string): PeriodFigures {
    if (this.dayFigures !== undefined && time.startsWith(this.dayKey)) return this.dayFigures;
    const key = time.slice(0, 10);
    let period = this.days.get(key);
    if (!period) {
      period = emptyPeriod();
      this.days.set(key, period);
    }
    this.dayKey = key;
    this.dayFigures = period;
    return period;
  }

  private count(event: Fields, time: string, day: PeriodFigures, total: PeriodFigures): void {
    switch (event.type) {
      case 'completion.shown':
      case 'completion.accepted':
      case 'completion.partiallyAccepted':
        return this.completion(event, day, total);
      case 'model.request':
        return this.modelRequest(event, day, total);
      case 'proposal': {
        day.proposals += 1;
        total.proposals += 1;
        const id = str(event.proposal);
        if (id !== undefined && !this.proposals.has(id)) {
          if (this.proposals.size >= MAX_OPEN) this.forgottenProposals += 1;
          remember(this.proposals, id, { time: Date.parse(time) });
        }
        return;
      }
      case 'decision':
        return this.decision(event, time, day, total);
      case 'checks':
        return this.checksRun(event, day, total);
      case 'restore':
        return this.restore(event);
      case 'agent.start': {
        day.agent.started += 1;
        total.agent.started += 1;
        const task = str(event.task);
        if (task !== undefined) remember(this.tasks, task, { start: Date.parse(time) });
        return;
      }
      case 'agent.step':
        day.agent.steps += 1;
        total.agent.steps += 1;
        return;
      case 'agent.command':
        return this.command(event, day, total);
      case 'agent.end':
        return this.agentEnd(event, time, day, total);
    }
  }

  private completion(event: Fields, day: PeriodFigures, total: PeriodFigures): void {
    const language = this.language(str(event.path));
    const chars = num(event.chars) ?? 0;
    const type = event.type;
    const accepted = num(event.acceptedChars) ?? (type === 'completion.accepted' ? chars : 0);
    if (this.ops !== undefined && !(summable(chars) && summable(accepted))) this.exact = false;
    countCompletion(day.completions, type, chars, accepted);
    countCompletion(entry(day.completionsByLanguage, language, emptyCompletions), type, chars, accepted);
    countCompletion(total.completions, type, chars, accepted);
    countCompletion(entry(total.completionsByLanguage, language, emptyCompletions), type, chars, accepted);
  }

  /** languageOf, remembered per path: a trail names the same few files again and again. */
  private language(path: string | undefined): string {
    if (path === undefined) return languageOf(path);
    let language = this.languages.get(path);
    if (language === undefined) {
      if (this.languages.size >= MAX_LANGUAGE_CACHE) this.languages.clear();
      language = languageOf(path);
      this.languages.set(path, language);
    }
    return language;
  }

  private modelRequest(event: Fields, day: PeriodFigures, total: PeriodFigures): void {
    const model = str(event.model) || 'unknown';
    const tokens = isRecord(event.tokens) ? event.tokens : undefined;
    let prompt = 0;
    let completion = 0;
    let sum = 0;
    let cost = 0;
    let unpriced = 0;
    if (tokens) {
      prompt = num(tokens.prompt) ?? 0;
      completion = num(tokens.completion) ?? 0;
      sum = num(tokens.total) ?? 0;
      const price = this.prices.priceOf(model, str(event.endpointHost) ?? '');
      if (price === undefined) {
        unpriced = sum || prompt + completion;
        this.unpricedModels.add(model);
      } else if (price !== 'local') cost = costOf(price, prompt, completion);
      if (this.ops !== undefined) {
        if (!(summable(prompt) && summable(completion) && summable(sum) && summable(unpriced))) this.exact = false;
        if (cost !== 0) this.deferCost(this.ops, model, cost);
        cost = 0;
      }
    }
    const counted = tokens !== undefined;
    countTokens(day.tokens, counted, prompt, completion, sum, cost, unpriced);
    countTokens(entry(day.tokensByModel, model, emptyTokens), counted, prompt, completion, sum, cost, unpriced);
    countTokens(total.tokens, counted, prompt, completion, sum, cost, unpriced);
    countTokens(entry(total.tokensByModel, model, emptyTokens), counted, prompt, completion, sum, cost, unpriced);
    const ttft = num(event.ttftMs);
    if (ttft !== undefined) {
      const purpose = str(event.purpose) || 'unknown';
      if (this.ops !== undefined) {
        const key = `${model}\n${purpose}`;
        const samples = this.ops.ttft.get(key);
        if (samples) samples[2].push(ttft);
        else this.ops.ttft.set(key, [model, purpose, [ttft]]);
      }
      else this.ttftSketch(model, purpose).add(ttft);
    }
  }

  private deferCost(ops: NonNullable<MetricsAggregator['ops']>, model: string, cost: number): void {
    const key = `${this.dayKey}\n${model}`;
    let at = ops.costKeys.get(key);
    if (at === undefined) ops.costKeys.set(key, (at = ops.costKeys.size));
    ops.costAt.push(at);
    ops.costUsd.push(cost);
  }

  private ttftSketch(model: string, purpose: string): QuantileSketch {
    let byPurpose = this.ttft.get(model);
    if (!byPurpose) this.ttft.set(model, (byPurpose = new Map()));
    let sketch = byPurpose.get(purpose);
    if (!sketch) byPurpose.set(purpose, (sketch = new QuantileSketch()));
    return sketch;
  }

  private decision(event: Fields, time: string, day: PeriodFigures, total: PeriodFigures): void {
    const outcome = event.decision;
    if (outcome !== 'accepted' && outcome !== 'rejected' && outcome !== 'refused') return;
    day.decisions[outcome] += 1;
    total.decisions[outcome] += 1;
    const id = str(event.proposal);
    if (id !== undefined) {
      const open = this.proposals.get(id);
      if (open !== undefined) {
        this.proposals.delete(id);
        const elapsed = Date.parse(time) - open.time;
        if (elapsed >= 0) this.timeToDecision.add(elapsed);
      }
      rememberKey(this.decided, id);
      if (outcome === 'accepted' && this.highFinding.delete(id)) this.checks.acceptedWithHighFinding += 1;
    }
    const path = str(event.path);
    if (outcome === 'accepted' && path !== undefined) remember(this.acceptedByPath, path, (this.acceptedByPath.get(path) ?? 0) + 1);
    if (outcome === 'refused') bump(this.refusals, str(event.reason) ?? '');
  }

  /**
   * A checks run on a proposal: its findings count as caught before approval
   * when the proposal had no decision yet (or none this range holds).
   */
  private checksRun(event: Fields, day: PeriodFigures, total: PeriodFigures): void {
    const id = str(event.proposal);
    if (id !== undefined && !this.checked.has(id)) {
      rememberKey(this.checked, id);
      this.checks.proposalsChecked += 1;
    }
    const before = id === undefined || !this.decided.has(id);
    if (event.stage === 'security' && Array.isArray(event.findings)) {
      for (const finding of event.findings) {
        if (!isRecord(finding)) continue;
        if (!before) {
          this.checks.findingsAfterDecision += 1;
          continue;
        }
        const severity = str(finding.severity) ?? 'unknown';
        this.checks.findingsBeforeDecision += 1;
        day.checkFindings += 1;
        total.checkFindings += 1;
        bump(this.checks.findingsBySeverity, severity);
        bump(this.checks.findingsByRule, str(finding.rule) ?? 'unknown');
        if (severity === 'high' && id !== undefined) rememberKey(this.highFinding, id);
      }
    } else if (event.stage === 'project' && Array.isArray(event.checks) && before) {
      for (const check of event.checks) {
        if (isRecord(check)) bump(this.checks.projectChecksByStatus, str(check.status) ?? 'unknown');
      }
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

  private command(event: Fields, day: PeriodFigures, total: PeriodFigures): void {
    const ran = event.approved === true && (event.decision === 'run' || event.decision === 'ask');
    day.agent.commands += 1;
    total.agent.commands += 1;
    if (ran) {
      day.agent.commandsRun += 1;
      total.agent.commandsRun += 1;
    }
    const refusal = event.decision === 'deny' || event.decision === 'limit' ? event.decision : event.approved === false ? 'rejected' : undefined;
    if (refusal !== undefined) bump(this.commandRefusals, refusal);
    const task = str(event.task);
    const command = str(event.command);
    const exitCode = num(event.exitCode);
    if (!ran || task === undefined || command === undefined || exitCode === undefined || !looksLikeTest(command)) return;
    const open = this.tasks.get(task) ?? {};
    open.lastTest = exitCode === 0 && event.timedOut !== true;
    if (!this.tasks.has(task)) remember(this.tasks, task, open);
  }

  private agentEnd(event: Fields, time: string, day: PeriodFigures, total: PeriodFigures): void {
    day.agent.ended += 1;
    total.agent.ended += 1;
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

  /** What this aggregator (made with `partial`) counted, for the merge into the aggregator of the part before. */
  partial(): MetricsPartial {
    return {
      exact: this.exact,
      events: this.events,
      skipped: this.skipped,
      ...(this.first !== undefined ? { first: this.first } : {}),
      ...(this.last !== undefined ? { last: this.last } : {}),
      days: [...this.days],
      totals: this.totals,
      unpricedModels: [...this.unpricedModels],
      linked: JSON.stringify(this.ops?.linked ?? []),
      ttft: [...(this.ops?.ttft.values() ?? [])].map(([model, purpose, samples]) => [model, purpose, Float64Array.from(samples)]),
      costKeys: [...(this.ops?.costKeys.keys() ?? [])],
      costAt: Int32Array.from(this.ops?.costAt ?? []),
      costUsd: Float64Array.from(this.ops?.costUsd ?? []),
    };
  }

  /**
   * Adds the partial of the part of the trail right after what this
   * aggregator has seen (an exact one: see MetricsPartial.exact): the
   * figures are then those of one pass over both parts.
   */
  merge(partial: MetricsPartial): void {
    this.events += partial.events;
    this.skipped += partial.skipped;
    if (partial.first !== undefined && (this.first === undefined || partial.first < this.first)) this.first = partial.first;
    if (partial.last !== undefined && (this.last === undefined || partial.last > this.last)) this.last = partial.last;
    for (const [key, period] of partial.days) addPeriod(this.day(key), period);
    addPeriod(this.totals, partial.totals);
    for (const model of partial.unpricedModels) this.unpricedModels.add(model);
    const linked: unknown = JSON.parse(partial.linked);
    if (Array.isArray(linked)) for (const event of linked) this.add(event);
    for (const [model, purpose, samples] of partial.ttft) {
      const sketch = this.ttftSketch(model, purpose);
      for (const sample of samples) sketch.add(sample);
    }
    const targets = partial.costKeys.map((key) => {
      const [day = '', model = ''] = key.split('\n');
      const period = this.day(day);
      return [period.tokens, entry(period.tokensByModel, model, emptyTokens), entry(this.totals.tokensByModel, model, emptyTokens)] as const;
    });
    for (let i = 0; i < partial.costAt.length; i++) {
      const target = targets[partial.costAt[i] ?? -1];
      const usd = partial.costUsd[i] ?? 0;
      if (target === undefined) continue;
      target[0].costUsd += usd;
      target[1].costUsd += usd;
      this.totals.tokens.costUsd += usd;
      target[2].costUsd += usd;
    }
  }

  private day(key: string): PeriodFigures {
    let period = this.days.get(key);
    if (!period) this.days.set(key, (period = emptyPeriod()));
    return period;
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
        checkFindings: structuredClone(this.checks),
      },
      speed: { ttftMs },
      cost: { pricesAsOf: PRICES_AS_OF, overridden: this.prices.overridden, unpricedModels: [...this.unpricedModels].sort() },
    };
  }
}

/** The fields of a linked event that count() reads, and its time (as add() made it). */
function linkedFields(event: Fields, time: string): Fields {
  const fields: Fields = { time };
  for (const key of LINKED_FIELDS) if (Object.hasOwn(event, key)) fields[key] = event[key];
  return fields;
}

function countCompletion(figures: CompletionFigures, type: unknown, chars: number, accepted: number): void {
  if (type === 'completion.shown') {
    figures.shown += 1;
    figures.charsShown += chars;
    return;
  }
  if (type === 'completion.accepted') figures.accepted += 1;
  else figures.partiallyAccepted += 1;
  figures.charsAccepted += accepted;
}

function countTokens(figures: TokenFigures, counted: boolean, prompt: number, completion: number, total: number, cost: number, unpriced: number): void {
  figures.requests += 1;
  if (!counted) return;
  figures.counted += 1;
  figures.prompt += prompt;
  figures.completion += completion;
  figures.total += total;
  figures.costUsd += cost;
  figures.unpricedTokens += unpriced;
}
