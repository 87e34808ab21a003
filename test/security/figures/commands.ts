/**
 * Figures for `npm run bench:security`: the hostile command table decided
 * under every policy. `runWithoutApproval` (goal 0): hostile commands, with
 * their mutations, that would run without asking under some policy;
 * `denyBypassed` (goal 0): those that must be refused but were not under
 * some policy; `benignRunUnasked` of `benign`: benign commands that run
 * unasked under full-auto with a sandbox (the policy is not useless).
 */
import { decideCommand } from '../../../src/server/services/commands/policy';
import { BENIGN, createCommandWorkspace, expected, hostileCommands, policyInput, POLICY_CASES } from '../hostileCommands';

export interface CommandPolicyFigures {
  commands: number;
  runWithoutApproval: number;
  denyBypassed: number;
  benignRunUnasked: number;
  benign: number;
}

export function commandPolicyFigures(): CommandPolicyFigures {
  const ws = createCommandWorkspace();
  try {
    const hostile = hostileCommands();
    let runWithoutApproval = 0;
    let denyBypassed = 0;
    for (const entry of hostile) {
      const decisions = POLICY_CASES.map((policy) => ({ policy, action: decideCommand(entry.command, policyInput(policy, entry.command, ws.boundary, entry.program)).action }));
      if (decisions.some((decision) => decision.action === 'run')) runWithoutApproval += 1;
      if (decisions.some((decision) => expected(entry, decision.policy) === 'deny' && decision.action !== 'deny')) denyBypassed += 1;
    }
    const benignRunUnasked = BENIGN.filter((command) => decideCommand(command, policyInput('full-auto', command, ws.boundary)).action === 'run').length;
    return { commands: hostile.length, runWithoutApproval, denyBypassed, benignRunUnasked, benign: BENIGN.length };
  } finally {
    ws.dispose();
  }
}
