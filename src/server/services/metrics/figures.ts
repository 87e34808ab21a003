/** The counters of one period (a UTC day, or the whole range), and how they add up. */
import type { CompletionFigures, PeriodFigures, TokenFigures } from '../../../shared/metrics';

export function emptyCompletions(): CompletionFigures {
  return { shown: 0, accepted: 0, partiallyAccepted: 0, acceptanceRate: null, charsShown: 0, charsAccepted: 0 };
}

export function emptyTokens(): TokenFigures {
  return { requests: 0, counted: 0, prompt: 0, completion: 0, total: 0, costUsd: 0, unpricedTokens: 0 };
}

export function emptyPeriod(): PeriodFigures {
  return {
    events: 0,
    completions: emptyCompletions(),
    completionsByLanguage: {},
    proposals: 0,
    decisions: { accepted: 0, rejected: 0, refused: 0 },
    agent: { started: 0, ended: 0, steps: 0, commands: 0, commandsRun: 0 },
    tokens: emptyTokens(),
    tokensByModel: {},
    checkFindings: 0,
  };
}

/** Fills in the acceptance rates (kept null while counting). */
export function finishPeriod(period: PeriodFigures): PeriodFigures {
  const rate = (figures: CompletionFigures): void => {
    figures.acceptanceRate = figures.shown > 0 ? (figures.accepted + figures.partiallyAccepted) / figures.shown : null;
  };
  rate(period.completions);
  for (const figures of Object.values(period.completionsByLanguage)) rate(figures);
  return period;
}

/** Adds `from`'s counters to `to` (entries `to` lacks are added after its own, in `from`'s order, as one pass would have made them). */
export function addPeriod(to: PeriodFigures, from: PeriodFigures): void {
  to.events += from.events;
  addCompletions(to.completions, from.completions);
  for (const [language, figures] of Object.entries(from.completionsByLanguage)) addCompletions(entry(to.completionsByLanguage, language, emptyCompletions), figures);
  to.proposals += from.proposals;
  to.decisions.accepted += from.decisions.accepted;
  to.decisions.rejected += from.decisions.rejected;
  to.decisions.refused += from.decisions.refused;
  to.agent.started += from.agent.started;
  to.agent.ended += from.agent.ended;
  to.agent.steps += from.agent.steps;
  to.agent.commands += from.agent.commands;
  to.agent.commandsRun += from.agent.commandsRun;
  addTokens(to.tokens, from.tokens);
  for (const [model, figures] of Object.entries(from.tokensByModel)) addTokens(entry(to.tokensByModel, model, emptyTokens), figures);
  to.checkFindings += from.checkFindings;
}

function addCompletions(to: CompletionFigures, from: CompletionFigures): void {
  to.shown += from.shown;
  to.accepted += from.accepted;
  to.partiallyAccepted += from.partiallyAccepted;
  to.charsShown += from.charsShown;
  to.charsAccepted += from.charsAccepted;
}

function addTokens(to: TokenFigures, from: TokenFigures): void {
  to.requests += from.requests;
  to.counted += from.counted;
  to.prompt += from.prompt;
  to.completion += from.completion;
  to.total += from.total;
  to.costUsd += from.costUsd;
  to.unpricedTokens += from.unpricedTokens;
}

/**
 * The entry `key` of a record keyed by names from the trail (models, rules,
 * reasons), made when missing. Own properties only, and set as data: a name
 * like `__proto__` is an entry like any other, never the prototype.
 */
export function entry<T>(record: Record<string, T>, key: string, make: () => T): T {
  if (Object.hasOwn(record, key)) return record[key] as T;
  const value = make();
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}
