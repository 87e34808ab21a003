/**
 * Usage metrics derived from the audit events, for a team's dashboards:
 * counters of model requests, tokens, completions, proposals, decisions and
 * agent commands, and histograms of request duration and time to first
 * token. Attributes are low-cardinality by design (purposes, outcomes,
 * models; never paths or ids).
 */
import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { AgentCommandEvent, AuditEvent } from '../../../shared/audit';

export class TandemMetrics {
  private readonly requests: Counter;
  private readonly tokens: Counter;
  private readonly duration: Histogram;
  private readonly ttft: Histogram;
  private readonly completions: Counter;
  private readonly proposals: Counter;
  private readonly decisions: Counter;
  private readonly commands: Counter;

  constructor(meter: Meter) {
    this.requests = meter.createCounter('tandem.model.requests', { description: 'Model requests, by purpose and outcome', unit: '{request}' });
    this.tokens = meter.createCounter('tandem.model.tokens', { description: 'Tokens the model counted, by purpose and kind (prompt, completion)', unit: '{token}' });
    this.duration = meter.createHistogram('tandem.model.request.duration', { description: 'Model request duration, retries included', unit: 'ms' });
    this.ttft = meter.createHistogram('tandem.model.time_to_first_token', { description: 'Time to the first piece of the answer', unit: 'ms' });
    this.completions = meter.createCounter('tandem.completions', { description: 'Inline suggestions shown, accepted and partly accepted', unit: '{suggestion}' });
    this.proposals = meter.createCounter('tandem.proposals', { description: 'Edit proposals, by origin', unit: '{proposal}' });
    this.decisions = meter.createCounter('tandem.decisions', { description: 'Review decisions per file, by outcome and who decided', unit: '{decision}' });
    this.commands = meter.createCounter('tandem.agent.commands', { description: 'Commands the agent asked for, by how they ended', unit: '{command}' });
  }

  record(event: AuditEvent): void {
    switch (event.type) {
      case 'model.request': {
        const common = { 'tandem.purpose': event.purpose, 'tandem.model': event.model };
        this.requests.add(1, { ...common, 'tandem.outcome': event.outcome, ...(event.error ? { 'tandem.error': event.error } : {}) });
        this.duration.record(event.totalMs, { ...common, 'tandem.outcome': event.outcome });
        if (event.ttftMs !== undefined) this.ttft.record(event.ttftMs, common);
        if (event.tokens) {
          this.tokens.add(event.tokens.prompt, { ...common, 'tandem.token.kind': 'prompt' });
          this.tokens.add(event.tokens.completion, { ...common, 'tandem.token.kind': 'completion' });
        }
        break;
      }
      case 'completion.shown':
      case 'completion.accepted':
      case 'completion.partiallyAccepted':
        this.completions.add(1, { 'tandem.event': event.type.slice('completion.'.length) });
        break;
      case 'proposal':
        this.proposals.add(1, { 'tandem.origin': event.origin, 'tandem.actor': event.actor });
        break;
      case 'decision':
        this.decisions.add(1, { 'tandem.decision': event.decision, 'tandem.scope': event.scope, 'tandem.actor': event.actor });
        break;
      case 'agent.command':
        this.commands.add(1, { 'tandem.status': commandStatus(event), 'tandem.decision': event.decision, 'tandem.actor': event.actor });
        break;
      default:
        break;
    }
  }
}

/** How a command ended: `succeeded` (exit 0), `failed` (another exit code), `timedOut`, `refused` (not approved), `notRun` (approved, no exit code). */
export function commandStatus(event: AgentCommandEvent): 'succeeded' | 'failed' | 'timedOut' | 'refused' | 'notRun' {
  if (!event.approved) return 'refused';
  if (event.timedOut) return 'timedOut';
  if (event.exitCode === undefined) return 'notRun';
  return event.exitCode === 0 ? 'succeeded' : 'failed';
}
