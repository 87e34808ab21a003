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
    /** Findings of the proposal checks caught before approval: null until the checks are recorded in the trail. */
    checkFindings: null;
  };
  speed: {
    /** Time to first token by `model` then `purpose`. */
    ttftMs: Record<string, Record<string, Quantiles>>;
  };
}
