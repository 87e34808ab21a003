/**
 * The metrics computed from the audit trail, declared once: the service
 * computes them (src/server/services/metrics), `tandem metrics` prints them,
 * the dashboard draws them; docs/audit.md#metrics defines every figure and
 * the events it comes from. Plain data only (JSON): the webview may bundle
 * this file.
 *
 * A change that renames or removes a field, or changes its meaning, raises
 * METRICS_SCHEMA_VERSION; adding an optional field does not.
 */

export const METRICS_SCHEMA_VERSION = 1;

/** Inline suggestions: shown, taken whole or in part. */
export interface CompletionFigures {
  shown: number;
  accepted: number;
  partiallyAccepted: number;
  /** (accepted + partiallyAccepted) / shown; null when none were shown. */
  acceptanceRate: number | null;
  /** Characters of the suggestions shown (when the event gives them) and of those taken. */
  charsShown: number;
  charsAccepted: number;
}

/** Percentiles of a set of durations in milliseconds. */
export interface Quantiles {
  /** Samples seen. */
  count: number;
  /** Absent when count is 0. */
  p50?: number;
  p95?: number;
  /** True when computed from every sample; false when from the bounded sample (docs/audit.md#metrics). */
  exact: boolean;
}

export interface TokenFigures {
  /** Model requests (any outcome). */
  requests: number;
  /** Requests whose answer gave a token count. */
  counted: number;
  prompt: number;
  completion: number;
  total: number;
  /**
   * Estimated cost in US dollars of the counted requests whose model has a
   * price (a server on this machine costs 0): an estimate from list prices
   * (MetricsReport.cost), not a bill.
   */
  costUsd: number;
  /** Tokens of counted requests whose model has no known price: their cost is unknown, never guessed. */
  unpricedTokens: number;
}

/** A model's list price, US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** The security findings and project checks recorded on proposals ('checks' events, docs/checks.md). */
export interface CheckFigures {
  /** Proposals with at least one checks event. */
  proposalsChecked: number;
  /** Security findings recorded before the proposal's first decision: caught before approval. */
  findingsBeforeDecision: number;
  /** The same by severity (`high`, `medium`, `low`) and by rule id. */
  findingsBySeverity: Record<string, number>;
  findingsByRule: Record<string, number>;
  /** Security findings recorded after the proposal was decided (a late check). */
  findingsAfterDecision: number;
  /** Project checks (typecheck, lint, test…) run before the decision, by how they ended (`passed`, `failed`, …). */
  projectChecksByStatus: Record<string, number>;
  /** Proposals with a high-severity finding before their decision whose changes were then accepted (some or all). */
  acceptedWithHighFinding: number;
}

/** Decisions on the changes of proposals (one per decision event: a file and outcome). */
export interface DecisionFigures {
  accepted: number;
  rejected: number;
  refused: number;
}

export interface AgentFigures {
  /** Tasks started (agent.start). */
  started: number;
  /** Tasks ended (agent.end). */
  ended: number;
  /** Tool calls of the model (agent.step). */
  steps: number;
  /** Commands asked for, and how many ran. */
  commands: number;
  commandsRun: number;
}

/** The figures of one UTC day (or of the whole range). */
export interface PeriodFigures {
  events: number;
  completions: CompletionFigures;
  /** By language, from the file extension of the suggestion's path ('other' when unknown, 'unknown' when no path). */
  completionsByLanguage: Record<string, CompletionFigures>;
  proposals: number;
  decisions: DecisionFigures;
  agent: AgentFigures;
  tokens: TokenFigures;
  tokensByModel: Record<string, TokenFigures>;
  /** Security findings of the proposal checks recorded before the proposal's decision (CheckFigures.findingsBeforeDecision), on the day they were recorded. */
  checkFindings: number;
}

export interface MetricsReport {
  v: number;
  /** The range asked for (ISO 8601 UTC); absent: unbounded. */
  range: { since?: string; until?: string };
  /** Time of the first and last event in range. */
  first?: string;
  last?: string;
  /** Lines in range that were read as events, and lines skipped (not JSON, not an event). */
  events: number;
  skipped: number;
  /** One entry per UTC day that has events, in order (`YYYY-MM-DD`). */
  days: Array<PeriodFigures & { day: string }>;
  totals: PeriodFigures;
  velocity: {
    /** Time from a proposal to the first decision naming its id, in ms. */
    timeToDecisionMs: Quantiles;
    /** Proposals in range with no decision in range. */
    undecidedProposals: number;
    /** Agent tasks that started and ended in range: their duration (ms) and steps per task. */
    taskDurationMs: Quantiles;
    stepsPerTask: Quantiles;
  };
  quality: {
    /** Decisions on changes (same as totals.decisions). */
    changes: DecisionFigures;
    /** Accepted file decisions whose file a later restore put back (see the docs for the heuristic). */
    acceptedThenRestored: number;
    /** Decisions `refused` (the change no longer fit the file), by reason ('' when none given). */
    refusalsByReason: Record<string, number>;
    /** Agent commands the policy refused, by decision (`deny`, `limit`) and those the person rejected (`rejected`). */
    commandRefusals: Record<string, number>;
    /** Agent tasks whose last test-like command ran: passed (exit 0) or not; tasks with none are not counted. */
    tasksLastTestPassed: number;
    tasksLastTestFailed: number;
    /** The proposal checks: what they caught before approval. */
    checkFindings: CheckFigures;
  };
  speed: {
    /** Time to first token by `model` then `purpose`. */
    ttftMs: Record<string, Record<string, Quantiles>>;
  };
  /** How the costs (TokenFigures.costUsd) were estimated. */
  cost: {
    /** The date of the built-in list prices. */
    pricesAsOf: string;
    /** True when the person's `tandem.metrics.prices` gave prices too. */
    overridden: boolean;
    /** Models in range with token counts and no known price, sorted. */
    unpricedModels: string[];
  };
}

/** US dollars as the dashboard and `tandem metrics` print them: cents, or four decimals under a dollar. */
export function usdText(usd: number): string {
  return usd === 0 ? '$0.00' : usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/**
 * The estimated cost of a set of requests in words: `$1.23`, `unknown` when
 * none of their tokens has a price, `$1.23 + unknown` when some have none.
 */
export function costText(tokens: Pick<TokenFigures, 'costUsd' | 'unpricedTokens'>): string {
  if (tokens.unpricedTokens > 0) return tokens.costUsd > 0 ? `${usdText(tokens.costUsd)} + unknown` : 'unknown';
  return usdText(tokens.costUsd);
}
