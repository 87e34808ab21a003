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
