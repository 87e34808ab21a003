import { pickApprovalPolicy } from './settings';

/** The agent's commands (scripts/check-contributions.mjs reads the ids from this table). */
export const agentCommands: Record<string, () => (...args: unknown[]) => unknown> = {
  // An argument sets the policy without the quick pick (automation, tests).
  'tandem.setApprovalPolicy': () => (policy?: unknown) => pickApprovalPolicy(policy),
};
